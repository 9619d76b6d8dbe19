"""Click's own texts that kamboard's command line shows, marked for the catalogue (click asks
gettext for them; ``i18n.set_language`` points gettext at kamboard's catalogue). Never imported."""

from ..i18n import N_

CLICK_TEXTS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Aborted!"),
    N_("Do you want to continue?"),
    N_("Repeat for confirmation"),
    N_("Error: invalid input"),
    N_("default: {default}"),
)
