"""What transformers' ViT image processor (the Pillow backend, ViTImageProcessorPil in 5.23) gives
for images that are not at the model's size, so attnscope's Pillow-exact resize can be checked.

Writes Tests/HuggingFaceTests/Fixtures/vit/preprocessing.safetensors:
  <name>.resized       [H, W, 3] uint8 as float: Pillow's Image.resize(size, BILINEAR)
  <name>.pixel_values  [3, H, W]: the processor's output (resize, rescale 1/255, normalise)
for a downscale (samples/images/landscape.png, 64×48 → 32×32) and an upscale (a 20×13 crop of it).

    /opt/attnscope-venv/bin/python scripts/make_vit_preprocessing_fixture.py
"""

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors.torch import save_file
from transformers import AutoImageProcessor

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "Tests" / "HuggingFaceTests" / "Fixtures" / "vit"


def main():
    processor = AutoImageProcessor.from_pretrained(FOLDER)
    size = (processor.size["width"], processor.size["height"])
    landscape = Image.open(ROOT / "samples" / "images" / "landscape.png").convert("RGB")
    crop = landscape.crop((5, 7, 25, 20))  # 20×13
    crop.save(FOLDER / "crop-20x13.png")
    out = {}
    for name, image in (("landscape", landscape), ("crop", crop)):
        resized = np.asarray(image.resize(size, Image.BILINEAR), dtype=np.float32)
        values = processor(images=image, return_tensors="pt")["pixel_values"][0]
        out[f"{name}.resized"] = torch.from_numpy(resized.copy())
        out[f"{name}.pixel_values"] = values.to(torch.float32).contiguous()
        print(name, type(processor).__name__, image.size, "->", tuple(values.shape))
    save_file(out, str(FOLDER / "preprocessing.safetensors"))


if __name__ == "__main__":
    main()
