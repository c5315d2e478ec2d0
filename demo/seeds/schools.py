"""Demo world: two schools, classes, ~70 students, guardians, consent. Idempotent: every
object is found by its natural key and created only when missing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from schools.models import (
    Classroom,
    ConsentRecord,
    Enrollment,
    GuardianLink,
    LinkCode,
    School,
    SchoolMembership,
    StudentProfile,
)
from schools.services.guardians import CONSENT_NOTICE_VERSION

from .accounts import ensure_user

RIVERSIDE = ("riverside", "Riverside Middle School")
HILLSIDE = ("hillside", "Hillside Primary School")
# (school slug, class name, grade, join code, teacher usernames)
CLASSES = [
    ("riverside", "Class 7A", 7, "RVR7AK", ["teacher"]),
    ("riverside", "Class 8B", 8, "RVR8BM", ["teacher"]),
    ("riverside", "Class 9C", 9, "RVR9CP", ["teacher2"]),
    ("hillside", "Class 5A", 5, "HLS5AT", ["teacher3"]),
]
EXTRA_STAFF = [
    ("teacher3", "Mr Tom Huang", Role.TEACHER),
]
# Fixed lists so every run makes the same people. (display name, username)
RIVERSIDE_STUDENTS = {
    "Class 7A": [
        ("Wang Yu", "s.wang.yu"),
        ("Chen Xinyi", "s.chen.xinyi"),
        ("Emma Li", "s.emma.li"),
        ("Zhao Hao", "s.zhao.hao"),
        ("刘洋", "s.liu.yang"),
        ("Lucas Zhou", "s.lucas.zhou"),
        ("Sun Mei", "s.sun.mei"),
        ("Olivia Wu", "s.olivia.wu"),
        ("Huang Jie", "s.huang.jie"),
        ("Xu Ming", "s.xu.ming"),
        ("Grace Lin", "s.grace.lin"),
        ("马丽", "s.ma.li"),
        ("Wu Hao", "s.wu.hao"),
        ("Daniel He", "s.daniel.he"),
        ("Guo Jing", "s.guo.jing"),
        ("Zhu Lin", "s.zhu.lin"),
        ("Sophie Tang", "s.sophie.tang"),
        ("Luo Bin", "s.luo.bin"),
        ("Liang Qi", "s.liang.qi"),
    ],
    "Class 8B": [
        ("Li Na", "s.li.na"),
        ("Ethan Wang", "s.ethan.wang"),
        ("Zhang Wei", "s.zhang.wei"),
        ("Yang Xue", "s.yang.xue"),
        ("陈静", "s.chen.jing"),
        ("Chloe Zhao", "s.chloe.zhao"),
        ("Hu Tao", "s.hu.tao"),
        ("Lin Fang", "s.lin.fang"),
        ("Ryan Xu", "s.ryan.xu"),
        ("He Yun", "s.he.yun"),
        ("Gao Yang", "s.gao.yang"),
        ("Mia Sun", "s.mia.sun"),
        ("Zheng Kai", "s.zheng.kai"),
        ("Xie Ting", "s.xie.ting"),
        ("黄磊", "s.huang.lei"),
        ("Leo Feng", "s.leo.feng"),
        ("Song Jia", "s.song.jia"),
        ("Tang Rui", "s.tang.rui"),
        ("Ava Deng", "s.ava.deng"),
        ("Cao Min", "s.cao.min"),
    ],
    "Class 9C": [
        ("Han Lei", "s.han.lei"),
        ("Noah Liu", "s.noah.liu"),
        ("Feng Yue", "s.feng.yue"),
        ("Deng Chao", "s.deng.chao"),
        ("Isabella Ma", "s.isabella.ma"),
        ("Xiao Yan", "s.xiao.yan"),
        ("王芳", "s.wang.fang"),
        ("Cheng Long", "s.cheng.long"),
        ("Jack Yuan", "s.jack.yuan"),
        ("Pan Hui", "s.pan.hui"),
        ("Du Juan", "s.du.juan"),
        ("Lily Jiang", "s.lily.jiang"),
        ("Jiang Tao", "s.jiang.tao"),
        ("Cai Ning", "s.cai.ning"),
        ("Henry Qian", "s.henry.qian"),
        ("Peng Fei", "s.peng.fei"),
        ("Lu Xin", "s.lu.xin"),
        ("Zoe Shen", "s.zoe.shen"),
        ("Yu Hang", "s.yu.hang"),
    ],
}
HILLSIDE_STUDENTS = [
    ("Tian Tian", "s.tian.tian"),
    ("Amy Kong", "s.amy.kong"),
    ("Bai Xue", "s.bai.xue"),
    ("Jason Lu", "s.jason.lu"),
    ("孙悦", "s.sun.yue"),
    ("Qin Hao", "s.qin.hao"),
    ("Ella Mo", "s.ella.mo"),
    ("Yao Jun", "s.yao.jun"),
]
DEMO_LINK_CODE = "DEMC4R7T"  # an outstanding (pending) link code for s.wang.yu


def _school(slug, name):
    school, _ = School.objects.get_or_create(slug=slug, defaults={"name": name})
    return school


def _member(user, school, role):
    SchoolMembership.objects.get_or_create(user=user, school=school, role=role)


def _student(username, display_name, school, classroom, *, under_14):
    user = ensure_user(username, display_name=display_name, role=Role.STUDENT)
    StudentProfile.objects.get_or_create(
        user=user,
        defaults={"school": school, "grade": classroom.grade, "under_14": under_14},
    )
    Enrollment.objects.get_or_create(student=user, classroom=classroom)
    return user


def _link(guardian, student, *, consent: bool):
    now = timezone.now()
    link, _ = GuardianLink.objects.get_or_create(
        guardian=guardian,
        student=student,
        defaults={
            "state": GuardianLink.State.ACTIVE if consent else GuardianLink.State.PENDING,
            "activated_at": now if consent else None,
        },
    )
    if consent and not ConsentRecord.objects.filter(guardian=guardian, student=student).exists():
        ConsentRecord.objects.create(
            guardian=guardian,
            student=student,
            notice_version=CONSENT_NOTICE_VERSION,
            given_at=now,
            ip_address="127.0.0.1",
        )
        StudentProfile.objects.filter(user=student, consent_given_at__isnull=True).update(consent_given_at=now)
    return link


def _under_14(grade, index):
    if grade <= 7:
        return True
    if grade == 8:
        return index % 2 == 0
    return False


@transaction.atomic
def run(stdout=None):
    riverside = _school(*RIVERSIDE)
    hillside = _school(*HILLSIDE)
    schools = {"riverside": riverside, "hillside": hillside}
    for username, display_name, role in EXTRA_STAFF:
        ensure_user(username, display_name=display_name, role=role)
    admins = {
        "schooladmin": riverside,
        "schooladmin2": hillside,
    }
    for username, school in admins.items():
        admin = ensure_user(username, display_name=username, role=Role.SCHOOL_ADMIN)
        _member(admin, school, SchoolMembership.Role.SCHOOL_ADMIN)

    classrooms = {}
    for slug, name, grade, code, teacher_names in CLASSES:
        school = schools[slug]
        classroom, _ = Classroom.objects.get_or_create(
            school=school,
            name=name,
            defaults={"grade": grade, "join_code": code},
        )
        for tname in teacher_names:
            teacher = ensure_user(tname, display_name=tname, role=Role.TEACHER)
            _member(teacher, school, SchoolMembership.Role.TEACHER)
            classroom.teachers.add(teacher)
        classrooms[name] = classroom

    student = ensure_user("student", display_name="Li Wei", role=Role.STUDENT)
    student2 = ensure_user("student2", display_name="Emma Zhang", role=Role.STUDENT)
    _student("student", "Li Wei", riverside, classrooms["Class 7A"], under_14=True)
    _student("student2", "Emma Zhang", riverside, classrooms["Class 9C"], under_14=False)
    count = 2
    for class_name, people in RIVERSIDE_STUDENTS.items():
        classroom = classrooms[class_name]
        for i, (display_name, username) in enumerate(people):
            _student(
                username,
                display_name,
                riverside,
                classroom,
                under_14=_under_14(classroom.grade, i),
            )
            count += 1
    for display_name, username in HILLSIDE_STUDENTS:
        _student(username, display_name, hillside, classrooms["Class 5A"], under_14=True)
        count += 1

    guardian = ensure_user("guardian", display_name="guardian", role=Role.GUARDIAN)
    guardian2 = ensure_user("guardian2", display_name="guardian2", role=Role.GUARDIAN)
    sibling = StudentProfile.objects.get(user__username="s.li.na").user
    _link(guardian, student, consent=True)
    _link(guardian, sibling, consent=True)
    _link(guardian2, student2, consent=True)
    # An under-14 child whose parent linked but has not consented yet.
    guardian3 = ensure_user("guardian3", display_name="Wu Fang (Wu Hao's parent)", role=Role.GUARDIAN)
    _link(guardian3, StudentProfile.objects.get(user__username="s.wu.hao").user, consent=False)
    # A pending link: a code the school issued that no family has entered yet.
    wang_yu = StudentProfile.objects.get(user__username="s.wang.yu").user
    demo_code, _ = LinkCode.objects.get_or_create(
        code=DEMO_LINK_CODE,
        defaults={
            "student": wang_yu,
            "created_by": ensure_user("teacher", display_name="teacher", role=Role.TEACHER),
            "expires_at": timezone.now() + timedelta(days=LinkCode.LIFETIME_DAYS),
        },
    )
    if demo_code.used_at is None and not demo_code.is_usable():
        demo_code.expires_at = timezone.now() + timedelta(days=LinkCode.LIFETIME_DAYS)
        demo_code.save(update_fields=["expires_at"])
    if stdout:
        stdout.write(
            f"schools: 2 schools, {len(CLASSES)} classes, {count} students; "
            f"pending link code {DEMO_LINK_CODE} (for s.wang.yu)"
        )
