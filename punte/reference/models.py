from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DevelopmentRegion(models.Model):
    """One of Romania's eight development regions (NUTS-2)."""

    code = models.CharField(_("NUTS-2 code"), max_length=4, primary_key=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["number"]
        verbose_name = _("development region")
        verbose_name_plural = _("development regions")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county (județ) or the Municipality of Bucharest, keyed by its ISO 3166-2:RO code."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=5, primary_key=True)
    auto_code = models.CharField(_("vehicle code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_ascii = models.CharField(_("name without diacritics"), max_length=60)
    official_name = models.CharField(_("official name"), max_length=80)
    is_municipality = models.BooleanField(_("municipality"), default=False)
    siruta_code = models.PositiveIntegerField(_("SIRUTA code"), unique=True)
    cnp_code = models.PositiveSmallIntegerField(_("county number in the CNP"), unique=True)
    nuts3_code = models.CharField(_("NUTS-3 code"), max_length=5, unique=True)
    seat = models.CharField(_("seat"), max_length=60)
    region = models.ForeignKey(DevelopmentRegion, on_delete=models.PROTECT, related_name="counties")

    class Meta:
        ordering = ["name_ascii"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class CountyGrouping(models.Model):
    """A named set of counties: a NUTS-2 region, a grouping shipped with punte, or one an
    administrator defines. Statistics are computed for any grouping."""

    class Kind(models.TextChoices):
        NUTS2 = "nuts2", _("Development region (NUTS-2)")
        SHIPPED = "shipped", _("Shipped with punte")
        CUSTOM = "custom", _("Defined by an administrator")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name_ro = models.CharField(_("name (Romanian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_ro = models.TextField(_("description (Romanian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    counties = models.ManyToManyField(County, related_name="groupings", verbose_name=_("counties"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("county grouping")
        verbose_name_plural = _("county groupings")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ro").startswith("en") else self.name_ro

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "ro").startswith("en") else self.description_ro
