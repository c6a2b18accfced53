"""Re-measure the CIFAR-10 reference recipe of issue #18 on this machine, today.

TensorFlow's CNN tutorial: three 3×3 ReLU convolutions (32, 64, 64 filters) with 2×2 max-pooling after the
first two, a 64-unit dense layer, Adam at Keras' default rate, batches of 32, 10 epochs, no augmentation.
Trained on the same data as notebook 08 (the stratified 9,000-image training split of seed 42), scored on the
same test images, so its accuracy and time can sit beside the notebook's in the README. Machine speed varies
from day to day, so compare times measured on the same day.

    python tools/reference_cnn.py [--seed 42] [--epochs 10]

Notebook 08 trains with TensorFlow's oneDNN kernels on; to time the tutorial the same way, run this with
COURSE_FAST_CPU_KERNELS=1 in the environment (the README's number was measured so).
"""

from __future__ import annotations

import argparse
import json
import time

import utils  # noqa: F401  (before keras: quiet TensorFlow, same maths settings as the notebooks)
from utils import seed_everything
from utils.data import load_cifar10, stratified_subset, train_val_split

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402


def tutorial_cnn() -> keras.Model:
    """The tutorial's network, logits out."""
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    (x_all, y_all), (x_test, y_test) = load_cifar10()
    x_all, y_all = stratified_subset(x_all, y_all, 10_000, args.seed)  # notebook 08's split, full profile
    (x_train, y_train), _ = train_val_split(x_all, y_all, 1_000, args.seed)
    x_train, x_test = x_train.astype("float32") / 255.0, x_test.astype("float32") / 255.0
    seed_everything(args.seed)
    model = tutorial_cnn()
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, verbose=0)
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(model.predict(x_test, verbose=0).argmax(axis=1) == y_test[:, 0]))
    print(json.dumps({"recipe": "TensorFlow CNN tutorial", "seed": args.seed, "test_accuracy": accuracy,
                      "train_seconds": round(seconds, 1),
                      "train_images_per_s": round(args.epochs * len(x_train) / seconds)}))


if __name__ == "__main__":
    main()
