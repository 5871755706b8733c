"""What fit prints (mlcore/training/progress.py and its two callbacks): a bar for verbose=1,
a line per epoch for verbose=2."""
import pytest

from mlcore.training.progress import RunningMeans, format_logs


def test_verbose_two_prints_one_line_per_epoch_without_timings(capsys, compiled, blobs):
    x, y = blobs(20)
    compiled.fit(x, y, epochs=2, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("Epoch 1/2 - loss: ")
    assert "accuracy: " in lines[0] and "s -" not in lines[0]


@pytest.mark.parametrize("verbose", [1, "auto"])
def test_verbose_one_draws_a_progress_bar(capsys, compiled, blobs, verbose):
    x, y = blobs(64)
    compiled.fit(x, y, epochs=1, batch_size=16, verbose=verbose)
    out = capsys.readouterr().out
    assert out.startswith("Epoch 1/1\n\r4/4 [==============================] - ")
    assert "loss:" in out and out.endswith("\n")


def test_verbose_zero_prints_nothing(capsys, compiled, blobs):
    compiled.fit(*blobs(20), epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_running_means_weigh_each_batch_by_its_samples():
    running = RunningMeans()
    assert running.means() == {}
    running.add({"loss": 1.0, "size": 3})
    running.add({"loss": 3.0, "size": 1})
    assert running.means() == {"loss": 1.5} and running.samples == 4


def test_format_logs():
    assert format_logs({"loss": 0.57481, "accuracy": 0.7}) == "loss: 0.5748 - accuracy: 0.7000"
