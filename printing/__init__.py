"""PDFs NetWise makes on the server (fpdf2), with the one font lookup every app shares.

Not a Django app and the lowest layer (import-linter): it imports no app, so courses (teacher
guides, family letters), learning (summaries, certificates) and districts (reports) all use it.
"""
