"""Runs nsfwjs's mobilenet_v2_mid TensorFlow graph straight from its model.min.js / shard files with PyTorch,
node by node as TensorFlow defines the ops (SAME padding from TF's own formula), as an independent check of
NsfwjsConverter + MobileNetV2 at width 1.4. Prints the class probabilities per photo.

usage: python3 nsfwjs_graph_reference.py UNPACKED_TARBALL_DIR PHOTO...
"""
import base64, re, sys, math
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

root = sys.argv[1] + "/package/dist/models/mobilenet_v2_mid/"
src = open(root + "model.min.js").read()
topo = src[src.find("modelTopology"):src.find("weightsManifest")]
manifest = src[src.find("weightsManifest"):]
data = b""
for shard in re.findall(r'paths:\[([^\]]*)\]', manifest)[0].split(","):
    t = open(root + shard.strip('"') + ".min.js").read()
    a = t.find('exports="') + 9
    data += base64.b64decode(t[a:t.find('"', a)])
weights, off = {}, 0
for name, shape, mn, sc, qd in re.findall(
        r'\{name:"([^"]+)",shape:\[([0-9,]*)\],dtype:"float32",quantization:\{min:([-0-9.e]+),scale:([-0-9.e]+),dtype:"(\w+)"\}\}',
        manifest):
    dims = [int(d) for d in shape.split(",")] if shape else []
    n = int(np.prod(dims)) if dims else 1
    q = np.frombuffer(data, dtype=np.uint8 if qd == "uint8" else np.uint16, count=n, offset=off)
    off += n * q.itemsize
    weights[name] = torch.tensor((q.astype(np.float32) * np.float32(sc) + np.float32(mn)).reshape(dims))
assert off == len(data), (off, len(data))

nodes = []
for chunk in re.split(r'\},\{name:"', topo):
    m = re.match(r'([^"]+)",op:"(\w+)"(?:,input:\[([^\]]*)\])?', chunk)
    if m:
        ins = [s.strip('"') for s in m.group(3).split(",")] if m.group(3) else []
        st = re.search(r'strides:\{list:\{i:\[([^\]]*)\]', chunk)
        fo = re.search(r'fused_ops:\{list:\{s:\[([^\]]*)\]', chunk)
        nodes.append(dict(name=m.group(1), op=m.group(2), inputs=ins,
                          stride=int(st.group(1).split(",")[1].strip('"')) if st else 1,
                          fused=[base64.b64decode(s.strip('"')).decode() for s in fo.group(1).split(",")] if fo else []))


def same_pad(x, k, s):
    h, w = x.shape[2], x.shape[3]
    ph = max((math.ceil(h / s) - 1) * s + k - h, 0)
    pw = max((math.ceil(w / s) - 1) * s + k - w, 0)
    return F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))


def run(x01):
    v = {"input": x01}
    for n in nodes:
        op, ins = n["op"], n["inputs"]
        get = lambda i: v[ins[i]] if ins[i] in v else weights[ins[i]]
        if op == "Const" or op == "Placeholder":
            continue
        if op == "Mul":
            v[n["name"]] = get(1) * get(0)
        elif op == "Sub":
            v[n["name"]] = get(0) - get(1)
        elif op in ("_FusedConv2D", "FusedDepthwiseConv2dNative"):
            x, k, b = get(0), get(1), get(2)
            if op == "_FusedConv2D":
                kt = k.permute(3, 2, 0, 1)
                y = F.conv2d(same_pad(x, k.shape[0], n["stride"]), kt, b, stride=n["stride"])
            else:
                kt = k.permute(2, 3, 0, 1).reshape(-1, 1, k.shape[0], k.shape[1])
                y = F.conv2d(same_pad(x, k.shape[0], n["stride"]), kt, b, stride=n["stride"], groups=kt.shape[0])
            if "Relu6" in n["fused"]:
                y = y.clamp(0, 6)
            v[n["name"]] = y
        elif op == "AddV2":
            v[n["name"]] = get(0) + get(1)
        elif op == "AvgPool":
            v[n["name"]] = get(0).mean(dim=(2, 3), keepdim=True)
        elif op == "Squeeze":
            v[n["name"]] = get(0).flatten(1)
        elif op == "_FusedMatMul":
            v[n["name"]] = get(0) @ get(1) + get(2)
        elif op == "Softmax":
            v[n["name"]] = torch.softmax(get(0), dim=1)
        elif op == "Identity":
            v[n["name"]] = get(0)
        else:
            raise SystemExit("unknown op " + op)
    return v["Identity"]


def align_corners_resize(img, size):
    """TensorFlow's resizeBilinear with alignCorners, as nsfwjs calls it, on [0, 1] values."""
    t = torch.tensor(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)[None]
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=True)


for photo in sys.argv[2:]:
    img = Image.open(photo).convert("RGB")
    with torch.no_grad():
        p = run(align_corners_resize(img, 224))[0]
    print(photo.split("/")[-1], [round(float(x), 5) for x in p])
