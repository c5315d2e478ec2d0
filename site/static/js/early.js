/* Runs before the first paint (a tiny blocking file, not inline: CSP script-src 'self'):
   marks the page as scripted so the phone menu starts folded instead of jumping shut. */
document.documentElement.classList.add("js");
