"""The grammars of --limits, --latency-ms and --faults: what they accept and how they refuse."""
import pytest

from omie_push.errors import UsageError
from omie_push.sandbox.traffic import FaultSpec, LatencySpec, LimitsSpec, TrafficConfig, TrafficSpecError


def test_limits_real_off_scale():
    assert LimitsSpec.parse("real") == LimitsSpec(enabled=True, scale=1.0)
    assert LimitsSpec.parse("off").enabled is False
    config = TrafficConfig.parse(limits="scale=10")
    assert (config.ip_rate, config.method_rate) == (9600, 2400)
    assert (config.reads_in_flight, config.writes_in_flight) == (4, 1)


def test_real_numbers_are_omies():
    config = TrafficConfig.parse()
    assert (config.ip_rate, config.method_rate) == (960, 240)
    assert (config.redundant_window_s, config.misuse_errors, config.misuse_block_s) == (60, 10, 1800)


@pytest.mark.parametrize("bad", ["fast", "scale=0", "scale=-2", "scale=x", "scale="])
def test_bad_limits_are_refused_with_the_option_named(bad):
    with pytest.raises(TrafficSpecError, match="--limits"):
        LimitsSpec.parse(bad)


def test_latency_forms():
    assert LatencySpec.parse("50").seconds("ListarClientes", 0.7) == pytest.approx(0.05)
    assert LatencySpec.parse(50) == LatencySpec.parse("50") == LatencySpec.parse("default=50")
    assert LatencySpec.parse(None).seconds("X", 0.5) == 0
    ranged = LatencySpec.parse("20-80")
    assert ranged.seconds("X", 0.0) == pytest.approx(0.02)
    assert ranged.seconds("X", 0.5) == pytest.approx(0.05)
    mixed = LatencySpec.parse("UpsertCliente=200,default=30")
    assert mixed.seconds("UpsertCliente", 0.3) == pytest.approx(0.2)
    assert mixed.seconds("ListarClientes", 0.3) == pytest.approx(0.03)
    assert LatencySpec.parse("UpsertCliente=100-300").seconds("Other", 0.9) == 0


@pytest.mark.parametrize("bad", ["-5", "80-20", "abc", "Upsert Cliente=3", "default=1,default=2",
                                 "UpsertCliente=1,UpsertCliente=2", "UpsertCliente=", "1-2-3"])
def test_bad_latency_is_refused(bad):
    with pytest.raises(TrafficSpecError, match="--latency-ms"):
        LatencySpec.parse(bad)


def test_faults_forms():
    spec = FaultSpec.parse("broken=0.05,html502=0.02,slow=0.01@30,drop=0.02,burst429=0.01@5,"
                           "redundant_after_commit=0.05,drop_after_commit=0.02")
    assert spec.rates["broken"] == 0.05
    assert spec.seconds == {"slow": 30.0, "burst429": 5.0, "slow_after_commit": 30.0}
    assert FaultSpec.parse("slow_after_commit=0.5@2").seconds["slow_after_commit"] == 2.0
    assert spec.pick(("broken", "drop"), 0.04) == "broken"
    assert spec.pick(("broken", "drop"), 0.06) == "drop"
    assert spec.pick(("broken", "drop"), 0.08) is None
    assert FaultSpec.parse("none").rates == {}


@pytest.mark.parametrize("bad", ["oops=0.1", "broken", "broken=2", "broken=x", "broken=0.1@3",
                                 "slow=0.1@0", "broken=0.6,drop=0.6", "drop=0.1,drop=0.2"])
def test_bad_faults_are_refused(bad):
    with pytest.raises(TrafficSpecError, match="--faults") as caught:
        FaultSpec.parse(bad)
    assert isinstance(caught.value, UsageError)   # exit code 2 on the command line
