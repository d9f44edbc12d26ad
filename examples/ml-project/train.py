"""Fine-tunes a classifier; shows the model-loading risks AI Dependency Risk finds."""
import pickle

import numpy as np
import torch as T
import yaml
from transformers import AutoModel, AutoTokenizer

config = yaml.load(open("config.yaml"))  # unsafe: full Loader by default
state = T.load("checkpoint.pt")  # pickle: runs code from the file
safe_state = T.load("checkpoint.pt", weights_only=True)  # still unsafe with torch<2.6 (see requirements.txt)

model = AutoModel.from_pretrained(
    "bert-base-uncased",
    trust_remote_code=True,
)
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")

with open("features.pkl", "rb") as f:
    features = pickle.load(f)

arr = np.load("arr.npy", allow_pickle=True)
# torch.load("in a comment") is not a call
print("torch.load(x) in a string is not a call either")
