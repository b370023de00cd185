"""Case facts named and valued as in the Human Trafficking Case Data Standard (HTCDS by IOM,
CC BY 4.0). Stored values are HTCDS value names; labels are punte's, in Romanian and English.
`EXTENSIONS` lists the values punte adds where Romanian practice needs them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):  # prs_Gender
    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified or unknown")


class TraffickingStatus(models.TextChoices):  # vic_TraffickingStatus
    POSSIBLE = "PossibleVictimOfTrafficking", _("Presumed victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Identified victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class RelationshipToTrafficker(models.TextChoices):  # vic_RelationshipToTrafficker
    FAMILIAL = "Familial", _("Family member")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    UNACQUAINTED = "Unaquainted", _("Stranger")  # HTCDS spells it so


class ExploitationType(models.TextChoices):  # vic_TypeOfExploitation
    FORCED_LABOUR = "ForcedLabour", _("Labour exploitation")
    SEXUAL = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced recruitment by armed groups")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Forced surrogacy")
    FORCED_CRIMINALITY = "ForcedCriminality", _("Forced criminality")
    OTHER = "Other", _("Other")


class ControlMethod(models.TextChoices):  # vic_MethodsOfControl
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of police or deportation")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds food, sleep or other necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds identity documents")
    OTHER = "Other", _("Other")


class RecruitmentMethod(models.TextChoices):  # vic_MethodOfRecruitment
    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At a school or university")
    AT_WORK = "AtWork", _("At work")
    ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("Through an online advertisement")
    TELEVISION = "ThroughATelevisionAdvert", _("Through a television advertisement")
    NEWSPAPER = "ThroughANewspaperAdvert", _("Through a newspaper advertisement")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", _("Other")


class CaseStatus(models.TextChoices):  # cas_Status
    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed, referred elsewhere")


# HTCDS field name -> the choices that hold its values.
FIELDS: dict[str, type[models.TextChoices]] = {
    "prs_Gender": Gender,
    "vic_TraffickingStatus": TraffickingStatus,
    "vic_RelationshipToTrafficker": RelationshipToTrafficker,
    "vic_TypeOfExploitation": ExploitationType,
    "vic_MethodsOfControl": ControlMethod,
    "vic_MethodOfRecruitment": RecruitmentMethod,
    "cas_Status": CaseStatus,
}

# Values punte adds to an HTCDS list: Romanian law (art. 182 Criminal Code) names forced criminality.
EXTENSIONS: dict[str, set[str]] = {"vic_TypeOfExploitation": {ExploitationType.FORCED_CRIMINALITY}}
