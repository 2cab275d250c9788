#!/usr/bin/python3
"""Reference outputs of upstream Silent-Face-Anti-Spoofing for the kiosk's MiniFASNet parity tests.

Runs upstream's own code (imported from a checkout of minivision-ai/Silent-Face-Anti-Spoofing,
commit b6d5f04) with Debian's python3-torch and python3-opencv, loading the vendored .pth files the
way upstream's AntiSpoofPredict._load_model does, and writes a small JSON fixture with no image
data in it, only what the tests can regenerate or re-derive:

- model outputs (logits, softmax) for seeded pseudo-random 80x80 BGR inputs (xorshift32, the same
  generator the TypeScript test uses);
- cv2.resize(INTER_LINEAR) on seeded pseudo-random uint8 images of awkward sizes: the SHA-256 of
  each 80x80 result;
- CropImage._get_new_box corners for boxes near the edges and larger than the image allows;
- for a few photos of ../shared/data/spoof: the SHA-256 of the decoded pixels, the face box fed in,
  each model's crop corners, the SHA-256 of its 80x80 BGR patch, its logits and softmax.

Photos are decoded with the project's own ffmpeg (the one the kiosk uses for camera frames), so
both sides start from identical pixels; everything after decoding is upstream's code.

Never needed by npm install, npm test or the app. Regenerate after changing the vendored weights:

    apt-get install -y python3-torch python3-opencv python3-pil   # PIL: upstream transform.py imports it
    git clone https://github.com/minivision-ai/Silent-Face-Anti-Spoofing /tmp/sfas
    git -C /tmp/sfas checkout b6d5f04ad78778917853b25c778acef6d5626d15
    /usr/bin/python3 scripts/reference/minifasnet_reference.py --upstream /tmp/sfas
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SIZE = 80

# Photos of ../shared/data/spoof and the face box fed to upstream's crop: [x, y, w, h] as upstream's
# detector returns it. These are the RetinaFace-like boxes the kiosk builds from its 68 landmarks
# (src/main/face/pipeline/liveness-crop.ts, retinaFaceLikeBox) on each photo, frozen here.
PHOTOS = [
    ('nuaa_imironica', 'real_0001_00_00_01_0.jpg', [260, 134, 158, 201]),
    ('nuaa_imironica', 'spoof_0001_00_00_01_0.jpg', [253, 5, 177, 221]),
    ('video_lestari15', 'real_f0000.jpg', [338, 198, 357, 442]),
    ('video_lestari15', 'spoof_f0000.jpg', [435, 197, 219, 299]),
    ('celebaspoof_half', 'real_1.jpg', [97, 49, 93, 108]),
    ('celebaspoof_half', 'spoof_3.jpg', [-17, 195, 142, 188]),
    ('celebaspoof_half', 'spoof_59.jpg', [153, 159, 184, 226]),
]

# Awkward source sizes (height, width) for the resize check: exact halving (OpenCV switches to
# INTER_AREA's fast path), odd downscales, upscales, identity.
RESIZE_SIZES = [(160, 160), (161, 200), (300, 170), (243, 243), (59, 70), (80, 80), (97, 41), (480, 640)]

# Boxes for the crop-corner check: (image width, height, [x, y, w, h], scale).
CROP_CASES = [
    (640, 480, [250, 150, 140, 170], 2.7),
    (640, 480, [250, 150, 140, 170], 4.0),
    (640, 480, [-12, 40, 130, 160], 2.7),
    (640, 480, [560, 400, 120, 130], 4.0),
    (640, 480, [200, -30, 220, 300], 4.0),
    (640, 480, [100, 100, 300, 420], 2.7),
    (480, 640, [211, 97, 59, 59], 2.7),
    (320, 240, [7, 5, 301, 229], 4.0),
]


def xorshift32_bytes(seed, count):
    """The xorshift32 byte stream the TypeScript test regenerates (top byte of each state)."""
    x = seed & 0xFFFFFFFF
    out = bytearray(count)
    for i in range(count):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x >> 24
    return np.frombuffer(bytes(out), dtype=np.uint8).copy()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def load_upstream(upstream):
    if not os.path.isfile(os.path.join(upstream, 'src', 'model_lib', 'MiniFASNet.py')):
        sys.exit('--upstream must be a checkout of minivision-ai/Silent-Face-Anti-Spoofing (src/model_lib/MiniFASNet.py not found)')
    sys.path.insert(0, upstream)
    from src.model_lib.MiniFASNet import MiniFASNetV1, MiniFASNetV2, MiniFASNetV1SE, MiniFASNetV2SE
    from src.generate_patches import CropImage
    from src.utility import get_kernel, parse_model_name
    from src.data_io import transform as trans
    mapping = {'MiniFASNetV1': MiniFASNetV1, 'MiniFASNetV2': MiniFASNetV2, 'MiniFASNetV1SE': MiniFASNetV1SE, 'MiniFASNetV2SE': MiniFASNetV2SE}
    return mapping, CropImage, get_kernel, parse_model_name, trans


def load_model(path, mapping, get_kernel, parse_model_name):
    """As upstream's AntiSpoofPredict._load_model, on the CPU."""
    h_input, w_input, model_type, _ = parse_model_name(os.path.basename(path))
    model = mapping[model_type](conv6_kernel=get_kernel(h_input, w_input))
    state_dict = torch.load(path, map_location=torch.device('cpu'))
    first = next(iter(state_dict))
    if first.find('module.') >= 0:
        state_dict = {key[7:]: value for key, value in state_dict.items()}
    model.load_state_dict(state_dict)
    model.eval()
    return model


def predict(model, bgr_patch, trans):
    """As upstream's AntiSpoofPredict.predict: ToTensor (raw 0..255, CHW), forward, softmax."""
    img = trans.Compose([trans.ToTensor()])(bgr_patch).unsqueeze(0)
    with torch.no_grad():
        logits = model.forward(img)
        probs = F.softmax(logits, dim=1)
    return [float(v) for v in logits[0]], [float(v) for v in probs[0]]


def decode(ffmpeg, path):
    """RGB24 pixels of a photo at its own size, with the project's ffmpeg (as tests/support/media/photos.ts)."""
    result = subprocess.run([ffmpeg, '-hide_banner', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], capture_output=True, check=False)
    info = result.stderr.decode('utf-8', 'replace')
    size = re.search(r'Stream #.*Video: .*?(\d{2,5})x(\d{2,5})', info)
    if result.returncode != 0 or not size:
        sys.exit(f'{path}: ffmpeg could not decode it: {info[-300:]}')
    width, height = int(size.group(1)), int(size.group(2))
    rgb = np.frombuffer(result.stdout, dtype=np.uint8)
    if rgb.size != width * height * 3:
        sys.exit(f'{path}: decoded {rgb.size} bytes, expected {width}x{height}x3')
    return rgb.reshape(height, width, 3), result.stdout


def default_spoof_dir():
    """../shared/data/spoof beside the repository, or beside a folder above it (a worktree)."""
    folder = REPO
    for _ in range(4):
        candidate = os.path.join(folder, '..', 'shared', 'data', 'spoof')
        if os.path.isdir(candidate):
            return os.path.abspath(candidate)
        folder = os.path.dirname(folder)
    return os.path.join(REPO, '..', 'shared', 'data', 'spoof')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--upstream', required=True, help='checkout of minivision-ai/Silent-Face-Anti-Spoofing at b6d5f04')
    parser.add_argument('--weights', default=os.path.join(REPO, 'models', 'upstream', 'minifasnet'))
    parser.add_argument('--spoof-dir', default=default_spoof_dir())
    parser.add_argument('--ffmpeg', default=os.path.join(REPO, 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg'))
    parser.add_argument('--out', default=os.path.join(REPO, 'tests', 'main', 'face', 'pipeline', 'fixtures', 'minifasnet-reference.json'))
    args = parser.parse_args()

    torch.set_num_threads(1)
    mapping, CropImage, get_kernel, parse_model_name, trans = load_upstream(args.upstream)
    provenance = json.load(open(os.path.join(args.weights, 'PROVENANCE.json'), encoding='utf-8'))
    models = {}
    for name, entry in provenance['files'].items():
        path = os.path.join(args.weights, name)
        digest = sha256(open(path, 'rb').read())
        if digest != entry['sha256']:
            sys.exit(f'{path}: sha256 {digest} differs from PROVENANCE.json')
        _, _, _, scale = parse_model_name(name)
        models[name] = {'model': load_model(path, mapping, get_kernel, parse_model_name), 'scale': scale, 'sha256': digest}

    random_cases = []
    for seed in (1, 2, 3, 20240601):
        patch = xorshift32_bytes(seed, SIZE * SIZE * 3).reshape(SIZE, SIZE, 3)
        outputs = {}
        for name, m in models.items():
            logits, probs = predict(m['model'], patch, trans)
            outputs[name] = {'logits': logits, 'softmax': probs}
        random_cases.append({'seed': seed, 'outputs': outputs})

    resize_cases = []
    for index, (h, w) in enumerate(RESIZE_SIZES):
        seed = 1000 + index
        image = xorshift32_bytes(seed, h * w * 3).reshape(h, w, 3)
        resized = cv2.resize(image, (SIZE, SIZE))
        resize_cases.append({'seed': seed, 'height': h, 'width': w, 'sha256': sha256(np.ascontiguousarray(resized).tobytes())})

    crop_cases = []
    for width, height, box, scale in CROP_CASES:
        corners = CropImage._get_new_box(width, height, box, scale)
        crop_cases.append({'imageWidth': width, 'imageHeight': height, 'box': box, 'scale': scale, 'corners': list(corners)})

    photos = []
    cropper = CropImage()
    for folder, file, box in PHOTOS:
        path = os.path.join(args.spoof_dir, folder, file)
        rgb, raw = decode(args.ffmpeg, path)
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        crops = {}
        combined = np.zeros(3)
        for name, m in models.items():
            corners = CropImage._get_new_box(bgr.shape[1], bgr.shape[0], box, m['scale'])
            patch = cropper.crop(org_img=bgr, bbox=box, scale=m['scale'], out_w=SIZE, out_h=SIZE, crop=True)
            logits, probs = predict(m['model'], patch, trans)
            combined += np.array(probs)
            crops[name] = {'corners': list(corners), 'patchSha256': sha256(np.ascontiguousarray(patch).tobytes()), 'logits': logits, 'softmax': probs}
        photos.append({
            'folder': folder,
            'file': file,
            'width': int(rgb.shape[1]),
            'height': int(rgb.shape[0]),
            'decodedSha256': sha256(raw),
            'box': box,
            'crops': crops,
            'upstreamLabel': int(np.argmax(combined)),
        })

    fixture = {
        'generator': 'scripts/reference/minifasnet_reference.py',
        'upstream': {'repository': provenance['repository'], 'commit': provenance['commit']},
        'versions': {'torch': torch.__version__, 'opencv': cv2.__version__, 'numpy': np.__version__},
        'weights': {name: m['sha256'] for name, m in models.items()},
        'random': {'generator': 'xorshift32, top byte of each state, HWC BGR uint8 80x80x3', 'cases': random_cases},
        'resize': {'generator': 'xorshift32 (seed per case), HWC uint8 x3, cv2.resize to 80x80 INTER_LINEAR', 'cases': resize_cases},
        'crop': {'cases': crop_cases},
        'photos': photos,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8') as out:
        json.dump(fixture, out, indent=1)
        out.write('\n')
    print(f'wrote {args.out}: {len(random_cases)} random inputs, {len(resize_cases)} resizes, {len(crop_cases)} crops, {len(photos)} photos')


if __name__ == '__main__':
    main()
