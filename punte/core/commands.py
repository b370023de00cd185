"""Base for punte's administration commands: bad input is a clear message and exit code 2,
and what the command writes is audited as the command-line operator."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from punte.core.context import command_context, request_context
from punte.core.errors import PunteError

BAD_INPUT = 2


class PunteCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        with request_context(command_context(self.command_name)):
            try:
                return super().execute(*args, **options)
            except PunteError as error:
                details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.details.items())
                raise CommandError(details or error.message, returncode=BAD_INPUT) from error

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if not parser.called_from_command_line:
            # From the command line argparse already exits 2 on bad arguments; in-process, Django
            # raises a plain CommandError (1). punte's commands answer bad input with 2 either way.
            parser.error = _raise_bad_arguments  # type: ignore[method-assign]
        return parser

    @property
    def command_name(self) -> str:
        return self.__class__.__module__.rsplit(".", 1)[-1]

    def bad_input(self, message: str) -> CommandError:
        return CommandError(message, returncode=BAD_INPUT)


def _raise_bad_arguments(message: str) -> None:
    raise CommandError(f"Error: {message}", returncode=BAD_INPUT)
