"""A lighter argon2 for roster first-time passwords.

Hashing 5,000 first-time passwords with the default argon2 cost would take minutes in one
request. These passwords are printed on paper and must be changed at first log-in, when
Django re-hashes them with the default hasher (it is not first in PASSWORD_HASHERS).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class RosterArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2_roster"
    time_cost = 1
    memory_cost = 256  # KiB
    parallelism = 1
