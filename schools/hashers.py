"""The lighter argon2 that roster imports once used for printed first-time passwords.

Nothing hashes with it any more (every account uses the default argon2, so no kind of account
answers a wrong password faster than another). It stays, last in PASSWORD_HASHERS, only to
verify the printed passwords of roster accounts imported before that change: such a student
logs in once, must change the password, and Django re-hashes it with the default hasher.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LegacyRosterArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2_roster"
    time_cost = 1
    memory_cost = 256  # KiB
    parallelism = 1
