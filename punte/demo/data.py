"""The synthetic demo installation: made-up organizations modelled on the landscape of the 2009
proposal for Cluj County, and one user per role. No real person or organization appears here."""

from punte.accounts.models import Organization
from punte.accounts.roles import Role

DEMO_PASSWORD = "punte-demo-2026"  # noqa: S105 - printed on purpose by `make demo`

NGO = "Asociația Punte Cluj (demo)"
DGASPC_CLUJ = "DGASPC Cluj (demo)"
DGASPC_BIHOR = "DGASPC Bihor (demo)"
SHELTER_ARAD = "Centrul de asistență Arad (demo)"
SHELTER_SATU_MARE = "Centrul de asistență Satu Mare (demo)"
UNIVERSITY = "Universitatea Someșul (demo)"
CLINIC = "Clinica Medicală Someș (demo)"
EMPLOYMENT = "Agenția de ocupare Cluj (demo)"

ORGANIZATIONS: list[tuple[str, str, str]] = [
    (NGO, Organization.Kind.NGO, "RO-CJ"),
    (DGASPC_CLUJ, Organization.Kind.PUBLIC_INSTITUTION, "RO-CJ"),
    (DGASPC_BIHOR, Organization.Kind.PUBLIC_INSTITUTION, "RO-BH"),
    (SHELTER_ARAD, Organization.Kind.PUBLIC_INSTITUTION, "RO-AR"),
    (SHELTER_SATU_MARE, Organization.Kind.PUBLIC_INSTITUTION, "RO-SM"),
    (UNIVERSITY, Organization.Kind.UNIVERSITY, "RO-CJ"),
    (CLINIC, Organization.Kind.OTHER, "RO-CJ"),
    (EMPLOYMENT, Organization.Kind.AGENCY, "RO-CJ"),
]

# username, first name, last name, organization, role; extra memberships below.
USERS: list[tuple[str, str, str, str, Role]] = [
    ("caseworker", "Demo", "Manager de caz", NGO, Role.CASEWORKER),
    ("psychologist", "Demo", "Psiholog", NGO, Role.PSYCHOLOGIST),
    ("legal", "Demo", "Consilier juridic", NGO, Role.LEGAL_COUNSELLOR),
    ("supervisor", "Demo", "Supervizor", NGO, Role.SUPERVISOR),
    ("partner", "Demo", "Furnizor partener", CLINIC, Role.PARTNER_PROVIDER),
    ("mentor", "Demo", "Mentor", NGO, Role.MENTOR),
    ("coordinator", "Demo", "Coordonator mentori", NGO, Role.MENTOR_COORDINATOR),
    ("prevention", "Demo", "Ofițer prevenire", NGO, Role.PREVENTION_OFFICER),
    ("analyst", "Demo", "Analist", NGO, Role.ANALYST),
    ("admin", "Demo", "Administrator", NGO, Role.ADMINISTRATOR),
    ("dgaspc.cluj", "Demo", "Asistent social DGASPC Cluj", DGASPC_CLUJ, Role.CASEWORKER),
    ("arad.supervisor", "Demo", "Șef centru Arad", SHELTER_ARAD, Role.SUPERVISOR),
]

EXTRA_MEMBERSHIPS: list[tuple[str, str, Role]] = [
    # A caseworker who also works a few hours for the county directorate: shows the organization switcher.
    ("caseworker", DGASPC_CLUJ, Role.CASEWORKER),
]

# Synthetic beneficiaries: invented names, CNPs in county 48 (no longer issued) with serial 999.
# (first name, last name, birth date yymmdd, CNP sex/century digit, exploitation types, county)
PERSONS: list[tuple[str, str, str, str, list[str], str]] = [
    ("Testina", "Sintetic", "010315", "6", ["SexualExploitation"], "RO-CJ"),
    ("Exempla", "Fictiv", "990722", "2", ["SexualExploitation", "ForcedLabour"], "RO-BH"),
    ("Modelina", "Inventat", "070110", "6", ["ForcedBegging"], "RO-MM"),
    ("Probina", "Demonstrativ", "951105", "2", ["ForcedLabour"], "RO-SJ"),
    ("Fictiva", "Exemplu", "050430", "6", ["SexualExploitation"], "RO-CJ"),
]
# (days ago, source, channel, urgency, summary)
WAITING_REFERRALS: list[tuple[int, str, str, str, str]] = [
    (0, "police", "phone", "emergency", "Demonstrație: femeie găsită într-o stație, cere ajutor. Date sintetice."),
    (2, "hotline", "phone", "urgent", "Demonstrație: apel la linia de urgență despre o adolescentă. Date sintetice."),
]
DECLINED_REFERRAL = (
    5,
    "ngo",
    "email",
    "routine",
    "Demonstrație: solicitare de informații, nu o situație de trafic. Date sintetice.",
)

# Assessments per demo case (index into PERSONS): the answers that differ from "no concern".
RISK_ANSWERS: dict[int, dict[str, str]] = {
    0: {"threats": "yes"},  # high: a safety plan and an alert for the supervisor
    1: {},  # low
    2: {"trafficker_contact": "yes"},  # immediate danger
    3: {"family_involved": "unknown"},  # medium
}
COMPLEX_DONE = {0, 1}
PSYCHOLOGICAL_DONE = {1}
