"""The curriculum seed: complete, fully published, idempotent, updated in place."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageLogEntry, Revision, Site, WorkflowPage

from accounts.models import User
from accounts.roles import Role
from courses import seed
from courses.curriculum import load_all
from courses.models import CoursePage, LessonPage


def counts():
    return {
        "pages": Page.objects.count(),
        "courses": CoursePage.objects.filter(locale__language_code="en").count(),
        "lessons": LessonPage.objects.filter(locale__language_code="en").count(),
        "zh_courses": CoursePage.objects.filter(locale__language_code="zh-hans").count(),
        "zh_lessons": LessonPage.objects.filter(locale__language_code="zh-hans").count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
    }


def test_site_root_is_the_catalogue_at_learn(client, catalogue):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == catalogue
    assert catalogue.url == "/learn/"
    assert CoursePage.objects.get(slug="digital-citizenship").url == "/learn/digital-citizenship/"
    assert not Page.objects.filter(depth=2).exclude(pk=catalogue.pk).exists()


def test_lessons_follow_file_order_and_blocks_map(course, lessons):
    data = next(d for d in load_all() if d["slug"] == "digital-citizenship")
    assert [lesson.slug for lesson in lessons] == [item["slug"] for item in data["lessons"]]
    first = data["lessons"][0]
    assert [b.block_type for b in lessons[0].body] == [b["type"] for b in first["body"]]
    scenario = lessons[0].body[0].value
    assert len(scenario["choices"]) == len(first["body"][0]["choices"])
    assert course.module_code == "M1" and course.topic == "citizenship"
    assert course.age_bands == "ABCD"
    assert [b.value for b in course.objectives] == data["objectives"]
    assert len(course.family_prompts) == len(data["family_prompts"])
    assert set(course.tags.names()) == {"citizenship", "m1"}


def test_changed_file_updates_pages_in_place(curriculum_dir, catalogue, course, lessons):
    path = curriculum_dir / "m01-digital-citizenship.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Same me online", "title: The same me online", 1), encoding="utf-8")
    before = counts()
    seed.run(directory=curriculum_dir)
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    assert lesson.title == "The same me online"
    assert lesson.live and not lesson.has_unpublished_changes
    after = counts()
    assert after["revisions"] == before["revisions"] + 1
    assert {k: v for k, v in after.items() if k != "revisions"} == {k: v for k, v in before.items() if k != "revisions"}


def test_admin_edits_survive_a_rerun_of_an_unchanged_file(curriculum_dir, lessons):
    lesson = lessons[0]
    lesson.title = "Edited in the admin"
    lesson.save_revision().publish()
    seed.run(directory=curriculum_dir)
    assert LessonPage.objects.get(pk=lesson.pk).title == "Edited in the admin"


def test_moved_lessons_are_put_back_in_file_order(curriculum_dir, course, lessons):
    LessonPage.objects.get(pk=lessons[0].pk).move(LessonPage.objects.get(pk=lessons[-1].pk), pos="right")
    seed.run(directory=curriculum_dir)
    assert [lesson.pk for lesson in course.lessons()] == [lesson.pk for lesson in lessons]


def test_the_loader_sets_up_editor_groups_with_admin_access_and_page_rights(catalogue):
    for name, can_publish in (("Editors", False), ("Moderators", True)):
        group = Group.objects.get(name=name)
        user = User.objects.create(username=f"in-{name.lower()}", role=Role.EDITOR)
        user.groups.add(group)
        assert user.has_perm("wagtailadmin.access_admin")
        perms = catalogue.permissions_for_user(user)
        assert perms.can_add_subpage() and perms.can_publish() == can_publish


def test_moderation_workflow_covers_the_curriculum(catalogue, course):
    workflow = WorkflowPage.objects.get(page=catalogue).workflow
    assert workflow.name == "Moderators approval" and workflow.active
    assert course.get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def test_seed_logs_publishing(catalogue):
    assert PageLogEntry.objects.filter(action="wagtail.publish").exists()


def test_bad_file_is_refused(tmp_path, db):
    from courses.curriculum import CurriculumError

    (tmp_path / "m99-bad.yaml").write_text("module: M99\nslug: bad\n", encoding="utf-8")
    with pytest.raises(CurriculumError):
        seed.run(directory=tmp_path)
    assert not CoursePage.objects.exists()
