"""Small real data sets that ship with the installed packages.

Nothing is downloaded: ``load_digits`` reads the copy bundled inside
scikit-learn.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


class Split(NamedTuple):
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray


@lru_cache(maxsize=1)
def _raw_digits():
    X, y = load_digits(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def load_digits_split(val_fraction=0.2, seed=0, standardize=True):
    """The 8x8 handwritten digits, split into training and validation.

    Returns ``Split(X_train, y_train, X_val, y_val)``. The 1,797 images
    are flattened to 64 float64 pixel values; labels are int64 in 0..9.
    With the defaults, ``X_train`` is (1437, 64) and ``X_val`` is
    (360, 64). The split is stratified by class and fixed by ``seed``.
    With ``standardize`` every pixel is shifted and scaled by the
    *training* mean and standard deviation (pixels that are constant in
    the training set are only shifted).

    >>> d = load_digits_split()
    >>> d.X_train.shape, d.X_val.shape, d.y_train.dtype.name
    ((1437, 64), (360, 64), 'int64')
    >>> bool(np.allclose(d.X_train.mean(axis=0), 0.0))
    True
    """
    X, y = _raw_digits()
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=val_fraction, random_state=seed, stratify=y)
    if standardize:
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std[std == 0.0] = 1.0  # e.g. corner pixels that are always blank
        X_train = (X_train - mean) / std
        X_val = (X_val - mean) / std
    return Split(X_train.copy(), y_train.copy(), X_val.copy(), y_val.copy())
