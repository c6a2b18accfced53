"""Data sets for the notebooks, on top of Keras's own loaders.

Where the data come from, in order:

1. the Keras cache (``$KERAS_HOME/datasets``, by default ``~/.keras/datasets``);
2. a local mirror folder named by ``$COURSE_DATA_MIRROR`` (laid out like the course's
   ``shared/datasets``), for machines without internet;
3. a download by Keras's stock loader, which then caches the files.

Offline with neither cache nor mirror, you get one :class:`DataUnavailableError` that says
how to fix it; a damaged file gives a :class:`DataCorruptError` naming it (and saying whether it is
the mirror's, which deleting the cache copy would not fix).
The mirror is only ever read, never written.

Why one module of almost 400 lines: every loader goes through the same cache → mirror → download
path and the same error messages; split per data set, that shared path would be imported
back into each piece or repeated.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import shutil
import zipfile
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

MIRROR_ENV = "COURSE_DATA_MIRROR"

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
_FASHION_FILES = (
    "train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
)
_CIFAR_DIR = "cifar-10-batches-py-target"
_CIFAR_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6)) + ("test_batch",)

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class DataUnavailableError(RuntimeError):
    """The data set is neither cached nor mirrored, and could not be downloaded."""


class DataCorruptError(RuntimeError):
    """A cached or mirrored data file exists but cannot be read."""


# --------------------------------------------------------------------------- locations
def keras_cache_dir() -> Path:
    """The folder Keras caches data sets in (what ``get_file`` uses)."""
    base = Path(os.path.expanduser(os.environ.get("KERAS_HOME") or "~/.keras"))
    if not os.access(base, os.W_OK) and base.exists():
        base = Path("/tmp/.keras")  # Keras's own fallback for a read-only home
    return base / "datasets"


def mirror_dir() -> Path | None:
    """The offline mirror named by ``$COURSE_DATA_MIRROR``, or ``None`` if unset."""
    value = os.environ.get(MIRROR_ENV)
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    if not (path / "keras_home" / "datasets").is_dir():
        raise DataUnavailableError(
            f"{MIRROR_ENV}={value!r} is not a data mirror: {path / 'keras_home' / 'datasets'} does not exist. "
            f"Point it at a folder laid out like the course's shared/datasets, or unset it to use the Keras cache."
        )
    return path


def _how_to_fix(name: str) -> str:
    return (
        f"{name} is not in the Keras cache ({keras_cache_dir()}) and could not be downloaded "
        f"(no internet connection?). Two ways to fix it:\n"
        f"  1. go online once and run this cell again, or run `make data` on a connected machine "
        f"(it fills the Keras cache);\n"
        f"  2. or set {MIRROR_ENV} to a local copy of the course data before starting Jupyter, "
        f"e.g. `export {MIRROR_ENV}=../shared/datasets`."
    )


# --------------------------------------------------------------------------- integrity
def _readable(path: Path) -> bool:
    """True if the file can be read to the end in its format."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                while f.read(1 << 20):
                    pass
        elif path.suffix == ".npz":
            with np.load(path, allow_pickle=True) as arrays:
                for key in arrays.files:
                    arrays[key]
        elif path.suffix == ".json":
            json.loads(path.read_text())
        else:
            with open(path, "rb") as f:
                pickle.load(f, encoding="bytes")
        return True
    except (OSError, EOFError, ValueError, pickle.UnpicklingError, zipfile.BadZipFile, UnicodeDecodeError):
        return False


def _in_mirror(path: Path) -> bool:
    mirror = mirror_dir()
    return mirror is not None and Path(path).resolve().is_relative_to(mirror)


def _mirror_twin(cached: Path) -> Path | None:
    """The mirror's file a cached file was copied from, when that file is damaged too."""
    mirror = mirror_dir()
    try:
        relative = Path(cached).resolve().relative_to(keras_cache_dir().resolve())
    except ValueError:
        return None
    source = mirror / "keras_home" / "datasets" / relative if mirror else None
    return source if source is not None and source.exists() and not _readable(source) else None


def _corrupt_error(name: str, paths: Sequence[Path], cause: BaseException | None = None) -> DataCorruptError:
    """The error for damaged files; a file of the mirror is named as such (deleting a cache copy won't help)."""
    listed = "\n".join(f"  {p}" for p in paths)
    reason = f" ({type(cause).__name__}: {cause})" if cause else ""
    if paths and all(_in_mirror(p) for p in paths):
        return DataCorruptError(
            f"{name}: the course data mirror's copy of this file is damaged or incomplete{reason}:\n{listed}\n"
            f"It comes from the mirror ({MIRROR_ENV}={os.environ.get(MIRROR_ENV)}), so deleting the Keras cache "
            f"will not help. Replace the mirror's file with a good copy (ask whoever set up the mirror), or unset "
            f"{MIRROR_ENV} and go online once so Keras downloads the data."
        )
    return DataCorruptError(
        f"{name}: this file is damaged or incomplete{reason}:\n{listed}\n"
        f"Delete it and run the cell again: Keras downloads a fresh copy when online "
        f"(or run `make data`); offline, set {MIRROR_ENV} to a local copy."
    )


def _call_stock_loader(name: str, loader: Callable[..., Any], cache_files: Sequence[Path], **kwargs: Any) -> Any:
    """Run a stock Keras loader, turning download and read failures into clear errors."""
    present = [p for p in cache_files if p.exists()]
    try:
        return loader(**kwargs)
    except Exception as err:  # Keras raises a bare Exception for URL failures
        if present and len(present) == len(cache_files):
            damaged = [p for p in present if not _readable(p)] or present
            twins = [_mirror_twin(p) for p in damaged]
            raise _corrupt_error(name, twins if all(twins) else damaged, err) from None
        if "URL fetch failure" in str(err) or isinstance(err, OSError):
            raise DataUnavailableError(_how_to_fix(name)) from None
        raise


def _copy_from_mirror(name: str, relative_paths: Sequence[str]) -> None:
    """Copy loader-compatible files from the mirror into the Keras cache, if missing there.

    A damaged mirror file is reported as the mirror's (never copied into the cache).
    """
    mirror = mirror_dir()
    if mirror is None:
        return
    cache = keras_cache_dir()
    for rel in relative_paths:
        source, target = mirror / "keras_home" / "datasets" / rel, cache / rel
        if target.exists() or not source.exists():
            continue
        if not _readable(source):
            raise _corrupt_error(name, [source])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")  # one per process: parallel tests copy too
        shutil.copyfile(source, partial)
        partial.replace(target)


# --------------------------------------------------------------------------- Fashion-MNIST
def load_fashion_mnist() -> Arrays:
    """Fashion-MNIST as uint8 images (N, 28, 28) and int labels (N,): 60,000 / 10,000."""
    import keras

    _copy_from_mirror("Fashion-MNIST", [f"fashion-mnist/{f}" for f in _FASHION_FILES])
    files = [keras_cache_dir() / "fashion-mnist" / f for f in _FASHION_FILES]
    return _call_stock_loader("Fashion-MNIST", keras.datasets.fashion_mnist.load_data, files)


# --------------------------------------------------------------------------- CIFAR-10
def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with open(path, "rb") as f:
            batch = pickle.load(f, encoding="bytes")
        images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        labels = np.asarray(batch[b"labels"], dtype=np.uint8)
    except (OSError, EOFError, KeyError, ValueError, pickle.UnpicklingError) as err:
        raise _corrupt_error("CIFAR-10", [path], err) from None
    return images.transpose(0, 2, 3, 1), labels.reshape(-1, 1)


def cifar10_source() -> str:
    """Where :func:`load_cifar10` takes CIFAR-10 from: ``"mirror"`` (the course's 10,000 / 1,000
    subset) or ``"keras"`` (the full 50,000 / 10,000, cached or downloaded by Keras)."""
    cache_archive = keras_cache_dir() / f"{_CIFAR_DIR}_archive"
    return "mirror" if not cache_archive.exists() and mirror_dir() is not None else "keras"


# Data sets whose size depends on where they came from, as loaded in this process; a notebook
# passes them to its record: ``record_results(cfg, data_sources=DATA_SOURCES, ...)``.
DATA_SOURCES: dict[str, str] = {}


def load_cifar10() -> Arrays:
    """CIFAR-10 as uint8 images (N, 32, 32, 3) and labels (N, 1), like ``cifar10.load_data()``.

    Online users get the full 50,000 / 10,000. The offline course mirror holds a real
    10,000 / 1,000 subset, so never rely on the official sizes.
    """
    import keras

    if cifar10_source() == "mirror":
        folder = mirror_dir() / "keras_home" / "datasets" / _CIFAR_DIR / "cifar-10-batches-py"
        train = [_read_cifar_batch(folder / b) for b in _CIFAR_BATCHES[:-1]]
        x_test, y_test = _read_cifar_batch(folder / _CIFAR_BATCHES[-1])
        x_train = np.concatenate([x for x, _ in train])
        y_train = np.concatenate([y for _, y in train])
        origin = "course mirror subset"
    else:
        cache_archive = keras_cache_dir() / f"{_CIFAR_DIR}_archive"
        (x_train, y_train), (x_test, y_test) = _call_stock_loader(
            "CIFAR-10", keras.datasets.cifar10.load_data, [cache_archive])
        origin = "full data (Keras)"
    DATA_SOURCES["CIFAR-10"] = f"{origin}: {len(x_train):,} train / {len(x_test):,} test"
    return (x_train, y_train), (x_test, y_test)


# --------------------------------------------------------------------------- IMDB
def _as_objects(rows: list[list[int]]) -> np.ndarray:
    """A 1-D object array of lists, as Keras's loader returns (one review per entry, whatever the lengths)."""
    out = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        out[i] = row
    return out


def _imdb_like_keras(
    path: Path, num_words: int | None, skip_top: int, maxlen: int | None,
    seed: int, start_char: int | None, oov_char: int | None, index_from: int,
) -> Arrays:
    """Keras's ``imdb.load_data`` processing, applied to the mirror's raw word-rank file."""
    try:
        with np.load(path, allow_pickle=True) as f:
            x_train, labels_train = f["x_train"], f["y_train"]
            x_test, labels_test = f["x_test"], f["y_test"]
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile, pickle.UnpicklingError) as err:
        raise _corrupt_error("IMDB", [path], err) from None
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = x_train[order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = x_test[order], labels_test[order]

    def encode(seq: Sequence[int]) -> list[int]:
        words = [w + index_from for w in seq]
        return [start_char] + words if start_char is not None else words

    train = [(encode(x), y) for x, y in zip(x_train, labels_train)]
    test = [(encode(x), y) for x, y in zip(x_test, labels_test)]
    if maxlen:
        train = [(x, y) for x, y in train if len(x) < maxlen]
        test = [(x, y) for x, y in test if len(x) < maxlen]
    sequences = [x for x, _ in train + test]
    if not num_words:
        num_words = max(max(x) for x in sequences)
    if oov_char is not None:
        sequences = [[w if skip_top <= w < num_words else oov_char for w in x] for x in sequences]
    else:
        sequences = [[w for w in x if skip_top <= w < num_words] for x in sequences]
    n_train = len(train)

    y_train = np.array([y for _, y in train], dtype=labels_train.dtype)
    y_test = np.array([y for _, y in test], dtype=labels_test.dtype)
    return (_as_objects(sequences[:n_train]), y_train), (_as_objects(sequences[n_train:]), y_test)


def load_imdb(
    num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None, seed: int = 113,
    start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
) -> Arrays:
    """IMDB reviews as lists of word indices, with ``keras.datasets.imdb.load_data``'s arguments.

    Index 0 is padding, 1 the start mark, 2 an out-of-vocabulary word; real words start at 3.
    """
    import keras

    args = dict(num_words=num_words, skip_top=skip_top, maxlen=maxlen, seed=seed,
                start_char=start_char, oov_char=oov_char, index_from=index_from)
    cached = keras_cache_dir() / "imdb.npz"
    mirror = mirror_dir()
    from_mirror = not cached.exists() and mirror is not None
    source = mirror / "imdb" / "imdb.npz" if from_mirror else cached
    prepared = _prepared_imdb_path(source, args) if source.exists() else None
    if prepared is not None and (arrays := _read_prepared_imdb(prepared)) is not None:
        return arrays
    if from_mirror:
        arrays = _imdb_like_keras(source, **args)
    else:
        arrays = _call_stock_loader("IMDB", keras.datasets.imdb.load_data, [cached], **args)
    _write_prepared_imdb(_prepared_imdb_path(source, args), arrays)
    return arrays


# Keras's IMDB processing walks 11 million word indices in Python (5-10 s a call). Its result, for one
# set of arguments and one source file, is kept in the Keras cache as flat integer arrays: later calls
# (every notebook run after the first) read it back in a fraction of a second.
def _prepared_imdb_path(source: Path, args: dict[str, Any]) -> Path:
    """Where the processed arrays for these arguments and this exact source file are kept."""
    stat = source.stat()
    key = json.dumps([str(source.resolve()), stat.st_size, stat.st_mtime_ns, sorted(args.items())])
    return keras_cache_dir() / "imdb_prepared" / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.npz"


def _write_prepared_imdb(path: Path, arrays: Arrays) -> None:
    """Store the processed reviews as one flat array of word indices plus each review's length."""
    (x_train, y_train), (x_test, y_test) = arrays
    rows = list(x_train) + list(x_test)
    lengths = np.array([len(row) for row in rows], dtype=np.int64)
    flat = np.fromiter((w for row in rows for w in row), dtype=np.int64, count=int(lengths.sum()))
    smallest = np.min_scalar_type(int(flat.max(initial=0)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.npz")  # one per process: parallel runs
        np.savez(partial, words=flat.astype(smallest), lengths=lengths, n_train=len(x_train),
                 y_train=y_train, y_test=y_test)
        partial.replace(path)
    except OSError:  # a read-only cache only costs speed
        pass


def _read_prepared_imdb(path: Path) -> Arrays | None:
    """The processed reviews stored by :func:`_write_prepared_imdb`, or None if absent or unreadable."""
    try:
        with np.load(path) as stored:
            words, lengths = stored["words"].tolist(), stored["lengths"]
            n_train, y_train, y_test = int(stored["n_train"]), stored["y_train"], stored["y_test"]
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    ends = np.cumsum(lengths).tolist()
    if len(lengths) != n_train + len(y_test) or (ends and ends[-1] != len(words)):
        return None
    rows = _as_objects([words[end - length:end] for end, length in zip(ends, lengths.tolist())])
    return (rows[:n_train], y_train), (rows[n_train:], y_test)


def load_imdb_word_index() -> dict[str, int]:
    """Word → rank (1 = most frequent). Add ``index_from`` (3) to match ``load_imdb``'s indices."""
    import keras

    _copy_from_mirror("IMDB word index", ["imdb_word_index.json"])
    files = [keras_cache_dir() / "imdb_word_index.json"]
    return _call_stock_loader("IMDB word index", keras.datasets.imdb.get_word_index, files)


# --------------------------------------------------------------------------- California Housing
def load_california_housing(version: str = "large", test_split: float = 0.2, seed: int = 113) -> Arrays:
    """California Housing: 8 raw census columns and the median house value in dollars."""
    import keras

    _copy_from_mirror("California Housing", ["california_housing.npz"])
    files = [keras_cache_dir() / "california_housing.npz"]
    return _call_stock_loader(
        "California Housing", keras.datasets.california_housing.load_data, files,
        version=version, test_split=test_split, seed=seed,
    )


# --------------------------------------------------------------------------- subsets
def stratified_subset(x: np.ndarray, y: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded subset of ``n`` rows with the class proportions of ``y`` (all rows if n ≥ len)."""
    if n <= 0:
        raise ValueError(f"Subset size must be positive, got {n}.")
    if n >= len(y):
        return x, y
    from sklearn.model_selection import train_test_split

    labels = np.asarray(y).reshape(len(y), -1)[:, 0]
    index = np.arange(len(y))
    if n < len(np.unique(labels)):  # too few rows for one per class: plain random subset
        chosen = np.random.default_rng(seed).choice(index, size=n, replace=False)
    else:
        chosen, _ = train_test_split(index, train_size=n, stratify=labels, random_state=seed)
    return x[chosen], y[chosen]


def train_val_split(
    x: np.ndarray, y: np.ndarray, n_val: int, seed: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Split off a seeded, stratified validation set of ``n_val`` rows."""
    from sklearn.model_selection import train_test_split

    labels = np.asarray(y).reshape(len(y), -1)[:, 0]
    idx_train, idx_val = train_test_split(np.arange(len(y)), test_size=n_val, stratify=labels, random_state=seed)
    return (x[idx_train], y[idx_train]), (x[idx_val], y[idx_val])


def download_all() -> int:
    """Download every data set the collection uses into the Keras cache (``make data``).

    The mirror is ignored on purpose: this fills the cache a classroom machine keeps.
    Returns a process exit status: 0 when everything is cached, 1 otherwise.
    """
    os.environ.pop(MIRROR_ENV, None)
    failures = []
    for name, loader in [
        ("Fashion-MNIST", load_fashion_mnist), ("CIFAR-10", load_cifar10), ("IMDB", load_imdb),
        ("IMDB word index", load_imdb_word_index), ("California Housing", load_california_housing),
    ]:
        print(f"{name}: ", end="", flush=True)
        try:
            loader()
            print("cached")
        except (DataUnavailableError, DataCorruptError) as err:
            print("FAILED")
            failures.append(f"{name}: {err}")
    if failures:
        print("\n\n".join(failures))
        return 1
    print(f"All data sets are in the Keras cache, {keras_cache_dir()}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(download_all())
