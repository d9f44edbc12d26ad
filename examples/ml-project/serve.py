"""Serves the classifier; `npm run demo` writes models/ (a malicious pickle and clean weights)."""
from pathlib import Path

import joblib
from safetensors.torch import load_file

HERE = Path(__file__).parent
clf = joblib.load(HERE / "models" / "classifier.pkl")  # the scanner shows what this file imports
encoder = load_file(HERE / "models" / "encoder.safetensors")  # safetensors: nothing to run
