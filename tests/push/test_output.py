"""What the user sees: the JSON object, the closing table, exit codes, no secret anywhere."""
import io
import json
from collections import Counter

from omie_push.cli import push as command
from omie_push.push.output import PlainReporter, make_reporter, plain_table
from omie_push.push.report import EndpointReport, RunReport


def report(**counts):
    rep = EndpointReport("clientes", "omie_clientes", counts=Counter(
        {("omie_clientes", s): n for s, n in counts.items()}))
    return RunReport("r1", "sandbox", False, [rep])


def test_exit_codes():
    assert report(sent=2, unchanged=1).exit_code == 0
    assert report(sent=2, rejected=1).exit_code == 1
    assert report(held=1).exit_code == 1
    stopped = report(sent=1)
    stopped.endpoints[0].stopped = "fail-fast"
    assert stopped.exit_code == 3


def test_json_has_every_status_per_view(capsys):
    PlainReporter(io.StringIO(), as_json=True).finish(report(sent=2, failed=1))
    out = json.loads(capsys.readouterr().out)
    assert out == {"run_id": "r1", "target": "sandbox", "dry_run": False, "endpoints": {"omie_clientes": {
        "sent": 2, "unchanged": 0, "rejected": 0, "failed": 1, "held": 0, "not_attempted": 0}}}


def test_plain_table_and_reporter_choice():
    text = plain_table(report(sent=12, rejected=3))
    assert text.splitlines()[0].split() == ["view", "sent", "unchanged", "rejected", "failed", "held",
                                            "not_attempted"]
    assert text.splitlines()[1].split() == ["omie_clientes", "12", "0", "3", "0", "0", "0"]
    assert isinstance(make_reporter(False, io.StringIO()), PlainReporter)   # not a terminal


def test_an_unexpected_error_never_prints_the_secret(fake_project, capsys):
    secret = "test-secret-xyz"           # the fake project's omie_push.yml
    fake_project.model("omie_clientes", "select 'C-1' as codigo_cliente_integracao, 'A' as razao_social",
                       "clientes")

    def exploding(settings):
        raise RuntimeError(f"cannot talk with {settings.app_secret}")

    code = command.run_push(project_dir=str(fake_project.root), sender_factory=exploding)
    err = capsys.readouterr()
    assert code == 1
    assert secret not in err.out + err.err and "cannot talk with ***" in err.err
