"""Course covers: drawn by courses/covers.py, declared in the curriculum files, seeded once as
Wagtail images, shown through webp renditions on the catalogue and the course page."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Collection, Revision

from courses import covers, seed
from courses.curriculum import CurriculumError, load_all, load_file
from courses.curriculum.check import COVER_MOTIFS, check_course, check_cover
from courses.models import CoursePage

Image = get_image_model()


def rendition_count():
    return Image.get_rendition_model().objects.count()


class ImgCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))


def imgs(html: str) -> list[dict]:
    parser = ImgCollector()
    parser.feed(html)
    return parser.imgs


class TestDrawing:
    @pytest.mark.parametrize("name", sorted(covers.MOTIFS))
    def test_every_motif_draws_a_1200_by_630_picture(self, name):
        picture = covers.render(name)
        assert picture.size == (1200, 630) and picture.mode == "RGB"
        # A real illustration, not a flat fill: many colours, the subject's ink among them.
        assert len(picture.getcolors(maxcolors=1_000_000)) > 50
        theme = covers.MOTIFS[name].theme
        assert picture.getpixel((5, 5)) == theme.bg

    @pytest.mark.parametrize("name", sorted(covers.MOTIFS))
    def test_subject_colour_contrasts_with_its_background(self, name):
        theme = covers.MOTIFS[name].theme
        assert covers.contrast(theme.ink, theme.bg) >= 3
        assert covers.contrast(theme.ink, theme.halo) >= 3

    def test_palette_is_the_design_systems(self):
        css = (settings.BASE_DIR / "site" / "static" / "css" / "netwise.css").read_text(encoding="utf-8")
        root = re.search(r":root\s*{([^}]*)}", css).group(1)
        properties = dict(re.findall(r"--nw-color-([\w-]+):\s*(#[0-9a-fA-F]{6})", root))
        names = ["primary", "primary-dark", "accent", "success", "success-bg", "warning", "warning-bg", "danger"]
        names += ["danger-bg", "info-bg", "help", "text", "muted", "border"]
        for name in names:
            assert getattr(covers, name.upper().replace("-", "_")) == covers.hex_color(properties[name]), name
        assert covers.WHITE == covers.hex_color(properties["surface"])

    def test_png_is_the_same_bytes_every_time(self):
        fresh = covers.render_png.__wrapped__  # past the per-process cache
        assert fresh("padlock") == fresh("padlock") == covers.render_png("padlock")
        assert fresh("padlock") != fresh("scales")

    def test_unknown_motif_is_refused(self):
        with pytest.raises(KeyError):
            covers.render("unicorn")

    def test_check_knows_exactly_the_drawn_motifs(self):
        assert set(covers.MOTIFS) == COVER_MOTIFS

    def test_every_curriculum_file_has_a_drawable_cover_with_alt_text(self):
        files = load_all()
        assert len(files) == 11
        motifs = [data["cover"]["motif"] for data in files]
        assert set(motifs) <= set(covers.MOTIFS)
        assert len(set(motifs)) == len(motifs), "each course gets its own picture"
        for data in files:
            alt = data["cover"]["alt"].strip()
            assert len(alt.split()) >= 5, (data["slug"], alt)
            assert alt.lower() != data["title"].lower()
        for motif in set(motifs):
            assert covers.render(motif).size == (1200, 630)


class TestCheck:
    def course(self):
        return next(d for d in load_all() if d["slug"] == "digital-citizenship")

    def test_a_valid_cover_passes(self):
        assert check_course(self.course(), "m01.yaml") == []

    def test_a_course_without_cover_passes(self):
        data = self.course()
        del data["cover"]
        assert check_course(data, "m01.yaml") == []

    @pytest.mark.parametrize(
        "cover, message",
        [
            ({"motif": "unicorn", "alt": "A unicorn."}, "motif 'unicorn' not in"),
            ({"motif": ["globe"], "alt": "A globe."}, "motif ['globe'] not in"),
            ({"motif": "globe"}, "needs alt text"),
            ({"motif": "globe", "alt": "   "}, "needs alt text"),
            ({"motif": "globe", "alt": "x" * 251}, "over 250 characters"),
            ({"motif": "globe", "alt": "A globe.", "colour": "red"}, "unknown keys ['colour']"),
            ("globe", "must be a mapping"),
        ],
    )
    def test_bad_covers_are_rejected(self, cover, message):
        errors = check_cover(cover)
        assert any(message in e for e in errors), errors
        data = self.course()
        data["cover"] = cover
        assert any(message in e for e in check_course(data, "m01.yaml"))

    def test_loader_refuses_a_file_with_an_unknown_motif(self, curriculum_dir):
        path = curriculum_dir / "m01-digital-citizenship.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("motif: globe", "motif: unicorn"), encoding="utf-8")
        with pytest.raises(CurriculumError, match="unicorn"):
            load_file(path)


class TestSeed:
    def test_seeded_courses_have_covers_with_alt_text(self, catalogue, curriculum_dir):
        collection = Collection.objects.get(name=seed.COVER_COLLECTION)
        for data in load_all(curriculum_dir):
            course = CoursePage.objects.get(slug=data["slug"])
            image = course.cover_image
            assert image is not None and image.collection == collection
            assert course.cover_alt == data["cover"]["alt"].strip() != ""
            assert image.description == course.cover_alt
            assert (image.width, image.height) == (1200, 630)
            assert image.title == f"Course cover: {data['slug']}"
            assert image.file_hash and image.file_size
            course.full_clean()  # the model's own rule: a cover needs alt text

    def test_seeding_twice_creates_no_images_and_changes_nothing(self, catalogue, curriculum_dir):
        before = {i.pk: (i.file.name, i.file_hash) for i in Image.objects.all()}
        assert len(before) == 2
        renditions, revisions = rendition_count(), Revision.objects.count()
        seed.run(directory=curriculum_dir)
        assert {i.pk: (i.file.name, i.file_hash) for i in Image.objects.all()} == before
        assert rendition_count() == renditions and Revision.objects.count() == revisions

    def test_a_lost_page_link_finds_the_existing_image(self, catalogue, curriculum_dir):
        """Even when the page is rewritten, the image is matched by its title, not recreated."""
        image = CoursePage.objects.get(slug="digital-citizenship").cover_image
        CoursePage.objects.filter(slug="digital-citizenship").update(curriculum_hash="", cover_image=None)
        seed.run(directory=curriculum_dir)
        assert Image.objects.count() == 2
        assert CoursePage.objects.get(slug="digital-citizenship").cover_image == image

    def test_a_changed_motif_redraws_the_same_image(self, catalogue, curriculum_dir):
        course = CoursePage.objects.get(slug="digital-citizenship")
        old_hash, old_file = course.cover_image.file_hash, course.cover_image.file.name
        path = curriculum_dir / "m01-digital-citizenship.yaml"
        text = path.read_text(encoding="utf-8").replace("motif: globe", "motif: scales")
        path.write_text(text, encoding="utf-8")
        seed.run(directory=curriculum_dir)
        image = CoursePage.objects.get(pk=course.pk).cover_image
        assert image.pk == course.cover_image_id and Image.objects.count() == 2
        assert image.file_hash != old_hash and image.file.name != old_file
        specs = set(seed.cover_filter_specs())
        assert set(image.renditions.values_list("filter_spec", flat=True)) == specs

    def test_a_file_without_cover_keeps_the_admin_choice(self, catalogue, curriculum_dir):
        course = CoursePage.objects.get(slug="digital-citizenship")
        chosen = CoursePage.objects.get(slug="respectful-speech-cyberbullying").cover_image
        course.cover_image, course.cover_alt = chosen, "Chosen in the admin."
        course.save_revision().publish()
        path = curriculum_dir / "m01-digital-citizenship.yaml"
        text = re.sub(r"\ncover:\n  motif: .*\n  alt: .*\n", "\n", path.read_text(encoding="utf-8"))
        path.write_text(text.replace("estimated_minutes: 60", "estimated_minutes: 65"), encoding="utf-8")
        seed.run(directory=curriculum_dir)
        course = CoursePage.objects.get(pk=course.pk)
        assert course.estimated_minutes == 65
        assert (course.cover_image, course.cover_alt) == (chosen, "Chosen in the admin.")


class TestRendering:
    def cover_img(self, html, alt):
        found = [img for img in imgs(html) if img.get("alt") == alt]
        assert len(found) == 1, imgs(html)
        return found[0]

    def test_catalogue_shows_each_cover_as_a_lazy_webp_rendition(self, client, catalogue):
        html = client.get("/learn/").content.decode()
        for course in CoursePage.objects.all():
            img = self.cover_img(html, course.cover_alt)
            assert img["src"].startswith(settings.MEDIA_URL) and img["src"].endswith(".webp")
            assert (img["width"], img["height"]) == ("480", "270")
            assert img["loading"] == "lazy"
            assert "course-card__cover" in img["class"]
            # Phone-sized choices, all webp.
            candidates = [part.split() for part in img["srcset"].split(",")]
            assert [w for _, w in candidates] == ["480w", "800w"]
            assert all(url.endswith(".webp") for url, _ in candidates)
            assert img["sizes"]

    def test_course_page_shows_its_cover(self, client, course):
        html = client.get(course.url).content.decode()
        img = self.cover_img(html, course.cover_alt)
        assert img["src"].endswith(".webp") and (img["width"], img["height"]) == ("800", "450")
        assert "480w" in img["srcset"] and "800w" in img["srcset"]

    def test_renditions_are_made_at_seed_time(self, client, catalogue):
        count = rendition_count()
        assert count == 2 * len(seed.cover_filter_specs())
        client.get("/learn/")
        client.get("/learn/digital-citizenship/")
        assert rendition_count() == count

    def test_seeded_renditions_are_the_ones_the_templates_use(self):
        root = settings.BASE_DIR / "courses" / "templates" / "courses"
        used = []
        for name in ("course_index_page.html", "course_page.html"):
            for tag in re.findall(r"{% srcset_image \S+ ([^%]*?)(?: \w+=|%})", (root / name).read_text()):
                used += Filter.expand_spec(tag.strip())
        assert set(used) == set(seed.cover_filter_specs())

    def test_catalogue_reads_no_rendition_rows_once_served(self, client, catalogue):
        from django.core.cache import caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get("/learn/")  # the first view fills the renditions cache
        caches["default"].clear()  # the short-lived default cache expiring does not matter
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/learn/").status_code == 200
        assert not [q for q in queries.captured_queries if "wagtailimages_rendition" in q["sql"]]
