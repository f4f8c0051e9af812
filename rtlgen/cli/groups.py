"""A click group with a default command: `rtlgen SPEC.md` is `rtlgen run SPEC.md`, and `rtlgen regress SUITE...`
is `rtlgen regress run SUITE...`."""
from __future__ import annotations

import difflib
from typing import Any, Callable

import click


def _any_word(word: str) -> bool:
    return True


class DefaultCommandGroup(click.Group):
    """A group whose arguments go to ``default_command`` when the first one names none of its commands.

    ``takes`` says which such first words the default command takes (any, unless given); another word is a usage
    error that names the commands, with "did you mean". A first word that is an option stays the group's own,
    unless ``options_too`` (for a group with no options but help, whose default command has them all).
    """

    def __init__(self, *args: Any, default_command: str = "run", takes: Callable[[str], bool] = _any_word,
                 takes_what: str = "", options_too: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_command, self.takes, self.takes_what, self.options_too = (default_command, takes, takes_what,
                                                                              options_too)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else ""
        if first and first not in self.commands and self.default_command in self.commands and not self._own(first, ctx):
            if not self.takes(first):
                close = difflib.get_close_matches(first, list(self.commands), n=3, cutoff=0.6)
                hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                raise click.UsageError(f"No such command {first!r}{self.takes_what}.{hint} "
                                       f"Commands: {', '.join(sorted(self.commands))}.", ctx)
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def _own(self, word: str, ctx: click.Context) -> bool:
        """Whether ``word`` is for the group itself (its help, or an option when options stay the group's)."""
        return word in ctx.help_option_names or (word.startswith("-") and not self.options_too)
