"""Mail to families: the weekly guardian digest (digests.py) and due-date reminders
(reminders.py), each sent once through notifications.mail.SendOnceMailer."""
