"""Demo accounts: found by username and created only if missing, so reruns are safe."""

from accounts.models import User
from accounts.roles import Role

DEMO_PASSWORD = "netwise-demo"

# username, display name, role
DEMO_ACCOUNTS = [
    ("student", "Li Wei", Role.STUDENT),
    ("student2", "Emma Zhang", Role.STUDENT),
    ("teacher", "Ms Chen Jing", Role.TEACHER),
    ("teacher2", "Mr David Wang", Role.TEACHER),
    ("guardian", "Li Hua", Role.GUARDIAN),
    ("guardian2", "Zhang Min", Role.GUARDIAN),
    ("schooladmin", "Principal Zhao Lan", Role.SCHOOL_ADMIN),
    ("schooladmin2", "Principal Sarah Liu", Role.SCHOOL_ADMIN),
    ("editor", "Curriculum Editor Sun Yue", Role.EDITOR),
]


def ensure_user(
    username: str,
    *,
    display_name: str,
    role: str,
    password: str = DEMO_PASSWORD,
    **extra,
) -> User:
    """Return the account, creating it (with `password`) only when it does not exist yet."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "role": role, **extra},
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def run(stdout=None):
    created = 0
    for username, display_name, role in DEMO_ACCOUNTS:
        existed = User.objects.filter(username=username).exists()
        user = ensure_user(username, display_name=display_name, role=role)
        if role == Role.EDITOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        created += not existed
    if stdout:
        stdout.write(f"accounts: {len(DEMO_ACCOUNTS)} demo accounts ({created} new)")
