"""The registry of information pages: slug -> title, template, place in the breadcrumbs.

`pages:info <slug>` renders `templates/pages/info/<template>` inside `pages/info.html`, which
adds the breadcrumbs (Accueil > parent > page) and the single h1 (the page's title).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InfoPage:
    slug: str
    title: str
    template: str
    parent: str | None = None  # slug of the parent page in the breadcrumbs
    section: str = "titulaire"  # titulaire, employeur, professionnel (colour of the header)


def _page(slug, title, parent=None, section="titulaire"):
    return InfoPage(slug, title, f"pages/info/{slug}.html", parent, section)


PAGES: dict[str, InfoPage] = {
    page.slug: page
    for page in (
        # Titulaire (purple block)
        _page("titulaire", _("L'espace titulaire")),
        _page("mes-droits", _("Mes droits"), parent="titulaire"),
        _page("mes-interlocuteurs", _("Mes interlocuteurs"), parent="titulaire"),
        # Employeurs (teal block)
        _page(
            "employeurs",
            _("Les employeurs et le compte personnel de formation"),
            section="employeur",
        ),
        _page(
            "heures-dif", _("Informer sur les heures DIF"), parent="employeurs", section="employeur"
        ),
        _page(
            "accompagnement-opca",
            _("L'accompagnement par l'OPCA"),
            parent="employeurs",
            section="employeur",
        ),
        _page(
            "espace-employeur",
            _("L'espace sécurisé des employeurs"),
            parent="employeurs",
            section="employeur",
        ),
        # Professionnels (blue block)
        _page(
            "professionnels",
            _("Les professionnels de l'emploi et de la formation"),
            section="professionnel",
        ),
        _page(
            "espace-professionnel",
            _("Espace professionnel"),
            parent="professionnels",
            section="professionnel",
        ),
        # Footer
        _page("cgu", _("Conditions générales d'utilisation")),
        _page("mentions-legales", _("Mentions légales et données personnelles")),
        _page("accessibilite", _("Déclaration d'accessibilité")),
    )
}


def get_page(slug: str) -> InfoPage | None:
    return PAGES.get(slug)


def breadcrumbs(page: InfoPage) -> list[InfoPage]:
    """The pages above `page`, outermost first (the home page is added by the template)."""
    trail = []
    parent = PAGES.get(page.parent) if page.parent else None
    while parent is not None:
        trail.insert(0, parent)
        parent = PAGES.get(parent.parent) if parent.parent else None
    return trail
