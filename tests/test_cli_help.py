"""Every command's help: an example written as it is typed, and the shared options alike."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from nutrigap.cli import main

COMMANDS = [[], ["foods", "build"], ["foods", "import"], ["foods", "download"],
            ["foods", "fetch"], ["foods", "search"], ["foods", "match"], ["check"], ["targets"],
            ["analyze"], ["batch"], ["serve"]]


def commands(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_every_command_is_checked_here():
    assert sorted(list(p) for p, _ in commands()) == sorted(c for c in COMMANDS if c)


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "nutrigap")
def test_the_examples_are_not_rewrapped_in_a_narrow_terminal(words):
    command = main
    for word in words:
        command = command.commands[word]
    examples = re.findall(r"^\s*(?:Examples?:)?\s*(nutrigap .+)$", command.help, re.M)
    assert examples, "every command's help shows an example"
    result = CliRunner().invoke(main, [*words, "--help"], terminal_width=50)
    assert result.exit_code == 0, result.output
    shown = [line.strip() for line in result.output.splitlines()]
    for example in examples:
        assert any(line.endswith(example.strip()) for line in shown), example


def test_a_shared_option_reads_the_same_in_every_command():
    seen: dict[str, set] = {}
    for _, command in commands():
        for param in command.params:
            if param.name in ("foods_db", "matches_file", "targets_file", "client", "age",
                              "sex", "pregnant", "lactating"):
                seen.setdefault(param.name, set()).add(
                    (tuple(param.opts), param.envvar, type(param.type).__name__,
                     param.help if param.name != "matches_file" else None))
    assert set(seen) == {"foods_db", "matches_file", "targets_file", "client", "age", "sex",
                         "pregnant", "lactating"}
    assert all(len(variants) == 1 for variants in seen.values()), seen
