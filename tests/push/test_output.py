"""What the user sees: the JSON object, the closing table, exit codes, no secret anywhere."""
import io
import json
from collections import Counter

from omie_push.cli import push as command
from omie_push.push.output import (PlainReporter, RichReporter, make_reporter, plain_table,
                                problem_lines, progress_text)
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
    assert {k: out[k] for k in ("run_id", "target", "dry_run", "endpoints")} == {
        "run_id": "r1", "target": "sandbox", "dry_run": False, "endpoints": {"omie_clientes": {
            "sent": 2, "unchanged": 0, "rejected": 0, "failed": 1, "held": 0, "not_attempted": 0}}}
    assert out["outcome"] == "finished with refused rows" and out["exit_code"] == 1


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


def test_json_of_a_real_run_carries_outcome_duration_plan_and_each_refused_rows_reasons(
        fake_project, capsys):
    fake_project.model("omie_clientes", "select * from (values ('C-1', 'Alfa Ltda'), ('C-2', null)) "
                       "as t(codigo_cliente_integracao, razao_social)", "clientes")
    code = command.run_push(project_dir=str(fake_project.root), as_json=True)
    out = json.loads(capsys.readouterr().out)
    assert code == out["exit_code"] == 1 and out["outcome"] == "finished with refused rows"
    assert out["duration_seconds"] > 0
    assert out["plan"]["omie_clientes"]["to_send"] == 1 and out["plan"]["omie_clientes"]["calls"] == 1
    [refused] = out["refused"]
    assert refused["key"] == "C-2" and refused["status"] == "rejected"
    assert any(r.get("field") == "razao_social" for r in refused["reasons"])


def test_a_configuration_error_with_json_is_a_json_error_object_and_exit_2(tmp_path, capsys):
    code = command.run_push(project_dir=str(tmp_path), as_json=True)
    out = json.loads(capsys.readouterr().out)
    assert code == out["exit_code"] == 2
    assert out["outcome"] == "configuration error" and "dbt_project.yml" in out["error"]


def test_many_rows_refused_for_one_reason_print_as_one_line():
    rep = report(rejected=1000)
    rep.problems = [("omie_clientes", f"C-{i}", "rejected", "cnpj_cpf: not a valid CNPJ") for i in range(1000)]
    rep.problems.append(("omie_clientes", "X-1", "failed", "Omie: Cliente bloqueado"))
    lines = problem_lines(rep)
    assert lines == ["Refused rows:",
                     "  rejected omie_clientes: 1000 rows: cnpj_cpf: not a valid CNPJ (e.g. C-0, C-1, C-2)",
                     "  failed omie_clientes X-1: Omie: Cliente bloqueado"]


def test_plain_progress_lines_say_rows_done_rate_and_time_left():
    stream = io.StringIO()
    reporter = PlainReporter(stream, every=0)
    rep = EndpointReport("clientes", "omie_clientes", plan_seconds=12.0)
    reporter.endpoint_started(rep, 4)
    for _ in range(3):
        reporter.advance(rep, "sent")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "omie_clientes: sending 4 rows, ~12 s planned"
    assert lines[1].startswith("omie_clientes: 1/4 rows, ") and "rows/s" in lines[1] and "left" in lines[1]
    assert len(lines) == 4                # no line for the last row: the closing line says it
    assert progress_text(30, 100, 10.0) == "30/100 rows, 3.0 rows/s, ~23 s left"


def test_the_terminal_bar_shows_rows_rate_and_eta():
    stream = io.StringIO()
    reporter = RichReporter(stream)
    rep = EndpointReport("clientes", "omie_clientes")
    reporter.endpoint_started(rep, 10)
    for _ in range(4):
        reporter.advance(rep, "sent")
    reporter.close()
    text = stream.getvalue()
    assert "4/10" in text and "rows/s" in text and "ETA" in text


def test_a_profiles_dir_without_profiles_yml_is_a_configuration_error(fake_project, capsys):
    code = command.run_push(project_dir=str(fake_project.root), as_json=True,
                            profiles_dir=str(fake_project.root / "nonexistent"))
    out = json.loads(capsys.readouterr().out)
    assert code == out["exit_code"] == 2 and "holds no profiles.yml" in out["error"]
