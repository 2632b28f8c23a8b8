"""Reading the MNIST IDX files for the PyTorch cross-check scripts (torch-permuted-mnist.py, torch-random-label-mnist.py)."""
import gzip
import os
import struct
import sys

import numpy as np


def read_idx(path):
    """The array in one IDX file (gzipped or not): uint8, shaped as the header says."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def find(directory, stem):
    """The path of STEM or STEM.gz in DIRECTORY; exits with a message naming --data when neither is there."""
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    sys.exit(f"{stem} not found in {directory}: pass --data DIR holding the MNIST IDX files")
