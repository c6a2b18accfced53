"""The data layer: real data through the mirror, and clear errors offline or on damage."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from utils import data

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_fashion_mnist_from_mirror(mirror):
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist()
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert x_train.dtype == np.uint8 and set(np.unique(y_train)) == set(range(10))
    assert len(data.FASHION_MNIST_CLASSES) == 10


def test_cifar10_from_mirror_matches_keras_layout(mirror):
    (x_train, y_train), (x_test, y_test) = data.load_cifar10()
    assert x_train.shape[1:] == (32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (len(x_train), 1) and y_test.shape == (len(x_test), 1)
    assert len(x_train) >= 10_000 and len(x_test) >= 1_000  # the mirror is a subset: never the official sizes
    assert set(np.unique(y_train)) == set(range(10))


def test_imdb_from_mirror_reproduces_keras_arrays(mirror):
    (x_train, y_train), (x_test, y_test) = data.load_imdb()
    assert len(x_train) == len(x_test) == 25_000
    assert (len(x_train[0]), len(x_train[1])) == (218, 189)
    assert x_train[0][:10] == [1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65]
    (x_small, _), _ = data.load_imdb(num_words=1000, maxlen=100)
    assert max(max(x) for x in x_small) < 1000 and max(len(x) for x in x_small) < 100


def test_imdb_word_index_and_california(mirror):
    word_index = data.load_imdb_word_index()
    assert len(word_index) == 88_584 and word_index["the"] == 1
    (x_train, y_train), (x_test, _) = data.load_california_housing()
    assert x_train.shape == (16_512, 8) and x_test.shape == (4_128, 8)
    assert list(y_train[:5]) == [252300, 146900, 290900, 141300, 500001]


def test_stratified_subset_keeps_proportions():
    y = np.repeat(np.arange(4), [100, 200, 300, 400])
    x = np.arange(len(y))
    x_sub, y_sub = data.stratified_subset(x, y, 100, seed=0)
    assert len(y_sub) == 100 and list(np.bincount(y_sub)) == [10, 20, 30, 40]
    assert np.array_equal(y[x_sub], y_sub)
    again, _ = data.stratified_subset(x, y, 100, seed=0)
    assert np.array_equal(x_sub, again)
    assert len(data.stratified_subset(x, y, 5000, seed=0)[1]) == len(y)
    with pytest.raises(ValueError, match="positive"):
        data.stratified_subset(x, y, 0, seed=0)


def _load_in_fresh_process(loader: str, keras_home: Path, mirror: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_DATA_MIRROR"}
    env["KERAS_HOME"] = str(keras_home)
    if mirror:
        env["COURSE_DATA_MIRROR"] = mirror
    code = f"import utils.data as d; d.{loader}()"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=300)


def test_offline_without_cache_or_mirror_gives_one_clear_message(tmp_path):
    result = _load_in_fresh_process("load_fashion_mnist", tmp_path / "empty_keras_home")
    assert result.returncode != 0
    assert "utils.data.DataUnavailableError: Fashion-MNIST is not in the Keras cache" in result.stderr
    assert "make data" in result.stderr and "COURSE_DATA_MIRROR" in result.stderr
    assert "urllib" not in result.stderr and "During handling" not in result.stderr


def test_truncated_cached_file_is_named(tmp_path, mirror):
    cache = tmp_path / "keras_home" / "datasets" / "fashion-mnist"
    cache.mkdir(parents=True)
    source = mirror / "keras_home" / "datasets" / "fashion-mnist"
    for path in source.iterdir():
        (cache / path.name).write_bytes(path.read_bytes())
    damaged = cache / "train-images-idx3-ubyte.gz"
    damaged.write_bytes(damaged.read_bytes()[: 1 << 20])  # cut short, as a broken download would be
    result = _load_in_fresh_process("load_fashion_mnist", tmp_path / "keras_home")
    assert result.returncode != 0
    assert "DataCorruptError" in result.stderr and str(damaged) in result.stderr
    assert "Delete it" in result.stderr


def test_mirror_variable_pointing_nowhere_is_explained(tmp_path):
    result = _load_in_fresh_process("load_cifar10", tmp_path / "kh", mirror=str(tmp_path / "missing"))
    assert result.returncode != 0 and "is not a data mirror" in result.stderr


def test_make_data_offline_reports_each_data_set_without_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COURSE_DATA_MIRROR"}
    env["KERAS_HOME"] = str(tmp_path / "keras_home")
    env["COURSE_DATA_MIRROR"] = str(REPO_ROOT.parent / "shared" / "datasets")  # must be ignored
    result = subprocess.run([sys.executable, "-m", "utils.data"], env=env, capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=300)
    assert result.returncode == 1
    assert result.stdout.count("FAILED") == 5  # all five data sets, the mirror ignored
    assert "Fashion-MNIST is not in the Keras cache" in result.stdout and "CIFAR-10 is not" in result.stdout
    assert "Traceback" not in result.stderr and "make data" in result.stdout


def test_imdb_prepared_cache_gives_back_what_was_processed(mirror, tmp_path, monkeypatch):
    """Later calls read the processed reviews from the Keras cache: the same lists and labels, never stale ones."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    process = data._imdb_like_keras
    (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=500, maxlen=80)  # processes, then stores
    (stored,) = (tmp_path / "datasets" / "imdb_prepared").glob("*.npz")

    monkeypatch.setattr(data, "_imdb_like_keras", lambda *a, **k: pytest.fail("processed again, not read back"))
    (x_train2, y_train2), (x_test2, y_test2) = data.load_imdb(num_words=500, maxlen=80)
    assert x_train2.dtype == object and type(x_train2[0]) is list
    assert list(x_train2) == list(x_train) and list(x_test2) == list(x_test)
    np.testing.assert_array_equal(y_train2, y_train)
    np.testing.assert_array_equal(y_test2, y_test)

    monkeypatch.setattr(data, "_imdb_like_keras", process)
    stored.write_bytes(b"half a file")  # damaged: processed again and stored anew, never trusted
    (x_train3, _), _ = data.load_imdb(num_words=500, maxlen=80)
    assert list(x_train3) == list(x_train)
    (x_other, _), _ = data.load_imdb(num_words=400, maxlen=80)  # other arguments: their own file
    assert len(list(stored.parent.glob("*.npz"))) == 2 and max(max(x) for x in x_other) < 400
