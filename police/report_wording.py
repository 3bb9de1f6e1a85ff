"""How a report's status is told: to the people who follow it (the tracking page, the letters)
and to the staff's lists (Open311's shorter notes are in ``web.open311_format``). One place, so
that the page and the mail never say different things; never a bare "closed"."""

from __future__ import annotations

from police.aggregates.report import ReportStatus
from police.errors import N_

TITLES: dict[ReportStatus, str] = {
    ReportStatus.RECEIVED: N_("Reçu"),
    ReportStatus.PLANNED: N_("Accepté : visite prévue"),
    ReportStatus.INFRACTION_FOUND: N_("Contrôlé : infraction constatée"),
    ReportStatus.NO_INFRACTION: N_("Contrôlé : pas d'infraction constatée"),
    ReportStatus.DUPLICATE: N_("Déjà signalé : regroupé avec un autre signalement"),
    ReportStatus.NOT_FOR_SERVICE: N_("Hors de la compétence du service"),
}

EXPLANATIONS: dict[ReportStatus, str] = {
    ReportStatus.RECEIVED: N_(
        "Le chef de brigade le lit et décide au plus tard le {due} : visite, regroupement avec "
        "un signalement identique, ou renvoi vers le bon service."
    ),
    ReportStatus.PLANNED: N_(
        "Un agent de la brigade est chargé d'aller voir sur place. La page changera après sa "
        "visite."
    ),
    ReportStatus.INFRACTION_FOUND: N_(
        "L'agent est passé le {day} et a constaté une infraction : un dossier est ouvert et "
        "suivi par le service jusqu'à la mise en conformité ou la sanction."
    ),
    ReportStatus.NO_INFRACTION: N_(
        "L'agent est passé le {day} et n'a pas constaté d'infraction à ce moment-là. Si le "
        "problème revient, signalez-le à nouveau."
    ),
    ReportStatus.DUPLICATE: N_(
        "Le même problème avait déjà été signalé ({original}) : votre signalement le rejoint, "
        "et vous suivez désormais celui-là. Voici où il en est."
    ),
    ReportStatus.NOT_FOR_SERVICE: N_("Ce n'est pas à la police administrative d'agir : {reason}"),
}
