"""The lines of help shown on the App Home; the slash-command table fills them in."""

from __future__ import annotations

HELP_LINES: tuple[tuple[str, str], ...] = (
    ("/denials due [days] [mine|unassigned|@user]", "what is due soon, overdue first"),
    ("/denials appeal CLAIM [level] [method] [ref] [note]", "log an appeal you sent"),
    ("/denials outcome CLAIM won|lost|partial [amount]", "record what the payer decided"),
    ("/denials trends [30d|90d|12m] [by category|payer|cpt|provider|carc]", "managers: trends"),
    ("/denials find CLAIM", "show a denial's card"),
    ("/denials assign CLAIM @user", "give a denial an owner"),
    ("/denials categorize CLAIM ROOT_CAUSE", "set the root cause"),
    ("/denials help", "this list"),
)
