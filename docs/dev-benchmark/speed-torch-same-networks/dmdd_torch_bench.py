#!/usr/bin/python3
"""PyTorch (eager) replica of DMDD Inspector's default DMDD model, timed like `dmdd bench`.

Replicates, with random weights of the same shapes:
  * the teacher: Keras MobileNetV2 (width 1.0) Conv1 .. block_10, ReLU6, in the product's folded inference form
    (teacher/FoldedBackbone + engine/FoldedConvolution): every batch norm folded into its convolution (a bias), and
    the Keras bottom/right zero padding before each stride-2 3x3 convolution folded into a 4x4 kernel with a zero
    first row and column under a symmetric padding of 1. Levels after block_2 (24 ch, /4), block_5 (32, /8),
    block_10 (96, /16).
  * the student: dmdd/DecoupledStudent with the defaults (inverted_residual encoder, studentWidth 32,
    studentExpansion 6, studentStemStride 2 (MobileNetV2's layout; --student-stem-stride 4 halves again in the
    stem's block), decoderBlocks 2, no skips, decoupled): conv+BN+ReLU (eps 1e-5), bilinear upsampling
    (align_corners=False), 1x1 projections with bias, DecouplingHead 1x1 C -> 2C split. Trained with batch norm in
    training mode; inferred (inspection, and frozen in stage 2) with batch norms folded (dmdd/FoldedBatchNorms).
  * the segmenter: dmdd/MultiPerceptionSegmenter with the defaults (segmenterInput product -> 2*(24+32+96) = 304
    input channels, width 64, asppRates [2], seReduction 8), including the product's channel padding of its 7x7
    2 -> 1 spatial attention to 16 outputs (engine/ChannelPaddedConvolution), learned group weights, reduce, SE, CBAM
    spatial attention (mean and max over channels) on the reduced features (segmenterAttention reduced, the default
    since 2026-12-07; --segmenter-attention input puts both before the reduction), residual block, ASPP (1x1 + 3x3
    dilation 2), merge, head, bilinear x4.
  * inference per batch as model/infer/Inspector.inspectBatch with one view and one shift: teacher, folded student,
    L2-normalised products, the two branch maps (sum of 1 - cos per level, bilinear to input size, then the
    Gaussian blur: sigma 4, radius 16, replicated borders) as infer/BranchMapAssembler makes them, one left and one
    right matrix product per level (--upsample-then-blur: up-sampled, summed and blurred by two side x side
    products, as before 2026-12-07, later), segmenter on -t_hat*s_hat, sigmoid,
    copies out, then per image the mean_with_branches fusion (weight 0.97) and the top-100 mean score.
  * a stage-1 step (DmddTrainer.studentStep, teacher cache on as in the product's defaults: the teacher runs on the
    4 augmented images with an anomaly, the normal images' features and the 4 clean pairs' are gathered from a cache
    computed before timing) and a stage-2 step (DmddTrainer.segmenterStep: teacher and folded frozen student without
    gradients on the 4 pairs with an anomaly, the 4 clean pairs' segmenter inputs gathered from a cache made at the
    stage's first step; --no-clean-pair-cache runs them on all 8 as the product did before 2026-12-07; segmenter
    trained on focal (gamma 4) + L1 loss), each with the product's step bookkeeping (copy of the running statistics,
    loss read-back, finite-gradient check) and DJL's Adam update (ParameterOptimizer / DJL adamUpdate: lr 1e-3,
    beta1 0.9, beta2 0.999, eps 1e-8, weight decay 0, bias correction folded into the learning rate).
  * the engine ceiling (engine/ConvolutionCeiling): 3x3 convolution 64 -> 64, batch 8, 64 x 64, padding 1.

Run with Debian's python: /usr/bin/python3 dmdd_torch_bench.py [--size 256] [--threads 2] [--seconds 6]
"""
import argparse
import copy
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------------------------
# FLOP counting: like engine/FlopCounter, 2 x (weight elements) x (output positions N*H*W) per convolution; the
# "nominal" count uses the weight the product's FlopCounter sees (3x3 for the teacher's folded 4x4 kernels, 1 output
# for the channel-padded spatial attention), the "executed" count the weight actually run.
# ----------------------------------------------------------------------------------------------------------------
class FlopTally:
    active = None  # the tally being filled, or None

    def __init__(self):
        self.nominal = 0
        self.executed = 0


def _tally(weight_numel_nominal, weight_numel_executed, out):
    t = FlopTally.active
    if t is not None:
        positions = out.numel() // out.shape[1]
        t.nominal += 2 * weight_numel_nominal * positions
        t.executed += 2 * weight_numel_executed * positions


class Conv(nn.Conv2d):
    """nn.Conv2d that reports its operations to the active FlopTally."""

    def __init__(self, *args, nominal_numel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominal_numel = nominal_numel

    def forward(self, x):
        y = F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        if FlopTally.active is not None:
            n = self.weight.numel()
            _tally(self.nominal_numel if self.nominal_numel is not None else n, n, y)
        return y


def he_normal_(w):
    fan_in = w.shape[1] * w.shape[2] * w.shape[3]
    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0 / fan_in))


def resize(x, h, w):
    """Layers.resize: bilinear, align_corners false; x itself when the size already matches."""
    if x.shape[2] == h and x.shape[3] == w:
        return x
    return F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)


def downsample_area(x, h, w):
    """Layers.downsampleArea (DJL interpolation AREA)."""
    if x.shape[2] == h and x.shape[3] == w:
        return x
    return F.interpolate(x, size=(h, w), mode="area")


# ----------------------------------------------------------------------------------------------------------------
# Teacher: MobileNetV2 Conv1 .. block_10, folded (FoldedBackbone)
# ----------------------------------------------------------------------------------------------------------------
MNV2_SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                 (6, 320, 1, 1)]
MNV2_LEVEL_ENDS = (2, 5, 10)


class FoldedConvT(nn.Module):
    """One folded teacher convolution (conv + BN -> conv with bias), optionally the stride-2 Keras padding folded
    into a 4x4 kernel (keras_pad=False, the product's form) or run as an explicit bottom/right pad + 3x3."""

    def __init__(self, cin, cout, k, stride, groups, stride2_keras, keras_pad_explicit):
        super().__init__()
        self.explicit = stride2_keras and keras_pad_explicit
        nominal = cout * (cin // groups) * k * k
        if stride2_keras and not keras_pad_explicit:
            self.conv = Conv(cin, cout, 4, stride, 1, 1, groups, bias=True, nominal_numel=nominal)
            w3 = torch.empty(cout, cin // groups, 3, 3)
            he_normal_(w3)
            with torch.no_grad():
                self.conv.weight.zero_()
                self.conv.weight[:, :, 1:, 1:] = w3
        else:
            pad = 0 if stride2_keras else (k - 1) // 2
            self.conv = Conv(cin, cout, k, stride, pad, 1, groups, bias=True, nominal_numel=nominal)
            he_normal_(self.conv.weight)
        with torch.no_grad():
            self.conv.bias.normal_(0.0, 0.1)

    def forward(self, x):
        if self.explicit:
            x = F.pad(x, (0, 1, 0, 1))
        return self.conv(x)


class TeacherIR(nn.Module):
    def __init__(self, cin, cout, t, stride, keras_pad_explicit):
        super().__init__()
        hidden = cin * t
        self.expand = FoldedConvT(cin, hidden, 1, 1, 1, False, keras_pad_explicit) if t != 1 else None
        self.depthwise = FoldedConvT(hidden, hidden, 3, stride, hidden, stride == 2, keras_pad_explicit)
        self.project = FoldedConvT(hidden, cout, 1, 1, 1, False, keras_pad_explicit)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = x
        if self.expand is not None:
            y = torch.clamp(self.expand(y), 0.0, 6.0)  # Op.relu6: x.clip(0, 6)
        y = torch.clamp(self.depthwise(y), 0.0, 6.0)
        y = self.project(y)
        return y + x if self.residual else y


class Teacher(nn.Module):
    def __init__(self, keras_pad_explicit=False):
        super().__init__()
        self.conv1 = FoldedConvT(3, 32, 3, 2, 1, True, keras_pad_explicit)
        stages = [[]]
        cin, block = 32, 0
        for t, c, n, s in MNV2_SETTINGS:
            for r in range(n):
                if block > MNV2_LEVEL_ENDS[-1]:
                    break
                stages[-1].append(TeacherIR(cin, c, t, s if r == 0 else 1, keras_pad_explicit))
                cin = c
                if block in MNV2_LEVEL_ENDS:
                    stages.append([])
                block += 1
        stages.pop()  # the empty one after block_10
        self.stages = nn.ModuleList(nn.Sequential(*s) for s in stages)
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x):  # normalize() is the identity for the nsfwjs MobileNetV2 (inputs in [0, 1])
        x = torch.clamp(self.conv1(x), 0.0, 6.0)
        out = []
        for stage in self.stages:
            x = stage(x)
            out.append(x)
        return out


# ----------------------------------------------------------------------------------------------------------------
# Student and segmenter building blocks (dmdd/Layers, InvertedResidualBlock, ResidualBlock)
# ----------------------------------------------------------------------------------------------------------------
class ConvBN(nn.Module):
    """Layers.convBn / depthwiseConvBn: conv (no bias) + BatchNorm (eps 1e-5) + optional ReLU; fold() turns it into
    the FoldedBatchNorms form (one conv with bias from the running statistics)."""

    # set by student_step: the student's steps after the share --student-norms-frozen-from of the timed ones
    frozen_statistics = False

    def __init__(self, cin, cout, k, stride=1, dilation=1, groups=1, relu=True):
        super().__init__()
        pad = dilation * (k - 1) // 2
        self.conv = Conv(cin, cout, k, stride, pad, dilation, groups, bias=False)
        he_normal_(self.conv.weight)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)  # DJL momentum 0.9 == PyTorch 0.1
        self.relu = relu
        self.folded = None

    def fold(self):
        c = self.conv
        f = Conv(c.in_channels, c.out_channels, c.kernel_size, c.stride, c.padding, c.dilation, c.groups, bias=True)
        with torch.no_grad():
            scale = self.bn.weight / torch.sqrt(self.bn.running_var + self.bn.eps)
            f.weight.copy_(c.weight * scale.view(-1, 1, 1, 1))
            f.bias.copy_(self.bn.bias - self.bn.running_mean * scale)
        f.requires_grad_(False)
        self.folded = f
        self.conv = None
        self.bn = None

    def forward(self, x):
        if self.folded is not None:
            y = self.folded(x)
        elif ConvBN.frozen_statistics and self.training:
            # FoldedConvolution.applyTrainable: the batch norm with its running statistics folded into the
            # convolution at every call, gradients reaching the weights and the norm's scale and shift
            c, bn = self.conv, self.bn
            scale = bn.weight * torch.rsqrt(bn.running_var + bn.eps)
            y = F.conv2d(x, c.weight * scale.view(-1, 1, 1, 1), bn.bias - bn.running_mean * scale, c.stride,
                         c.padding, c.dilation, c.groups)
        else:
            y = self.bn(self.conv(x))
        return F.relu(y) if self.relu else y


def plain_conv(cin, cout, k):
    """Layers.conv: convolution with bias, padding keeping the size."""
    c = Conv(cin, cout, k, 1, (k - 1) // 2, bias=True)
    he_normal_(c.weight)
    with torch.no_grad():
        c.bias.zero_()
    return c


class ChannelPaddedConv(nn.Module):
    """engine/ChannelPaddedConvolution for a dense k>1 convolution whose channel counts are not multiples of 16:
    weight (and bias) padded with zeros to 16 outputs (inputs <= 8 stay), the extra outputs dropped. Used by the
    product for the segmenter's 7x7 2 -> 1 spatial attention; pad=False runs the plain 2 -> 1 convolution."""

    def __init__(self, cin, cout, k, pad=True):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin, k, k))
        he_normal_(self.weight)
        self.bias = nn.Parameter(torch.zeros(cout))
        self.k = k
        self.cin, self.cout = cin, cout
        self.pin = cin if cin <= 8 else -(-cin // 16) * 16
        self.pout = -(-cout // 16) * 16 if pad else cout
        if not pad:
            self.pin = cin

    def forward(self, x):
        w, b = self.weight, self.bias
        if self.pin != self.cin or self.pout != self.cout:
            w = F.pad(w, (0, 0, 0, 0, 0, self.pin - self.cin, 0, self.pout - self.cout))
            b = F.pad(b, (0, self.pout - self.cout))
            if self.pin != self.cin:
                x = F.pad(x, (0, 0, 0, 0, 0, self.pin - self.cin))
        y = F.conv2d(x, w, b, 1, (self.k - 1) // 2)
        if FlopTally.active is not None:
            _tally(self.weight.numel(), w.numel(), y)
        return y[:, : self.cout] if self.pout != self.cout else y


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        layers = []
        if expansion > 1:
            layers.append(ConvBN(cin, hidden, 1))
        layers.append(ConvBN(hidden, hidden, 3, stride, groups=hidden))
        layers.append(ConvBN(hidden, cout, 1, relu=False))
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return y + x if self.residual else y


class ResidualBlock(nn.Module):
    """dmdd/ResidualBlock (the segmenter's body: width -> width, no shortcut conv)."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.body = nn.Sequential(ConvBN(cin, cout, 3, stride), ConvBN(cout, cout, 3, relu=False))
        self.shortcut = ConvBN(cin, cout, 1, stride, relu=False) if (stride != 1 or cin != cout) else None

    def forward(self, x):
        y = self.body(x)
        s = x if self.shortcut is None else self.shortcut(x)
        return F.relu(y + s)


def fold_all(module):
    """FoldedBatchNorms: a copy of the network with every conv + BN folded (inference form)."""
    m = copy.deepcopy(module)
    for sub in m.modules():
        if isinstance(sub, ConvBN):
            sub.fold()
    m.eval()
    for p in m.parameters():
        p.requires_grad_(False)
    return m


# ----------------------------------------------------------------------------------------------------------------
# DecoupledStudent (inverted_residual layout)
# ----------------------------------------------------------------------------------------------------------------
def scaled(base, width):
    return max(4, int(math.floor(base * width / 32.0 + 0.5)))  # Math.round


class DecoupledStudent(nn.Module):
    def __init__(self, level_channels=(24, 32, 96), width=32, decoder_blocks=2, expansion=6, stem_stride=2):
        super().__init__()
        self.level_channels = level_channels
        first = scaled(16, width)
        w = [scaled(24, width), scaled(32, width), scaled(96, width)]
        # studentStemStride 2 (MobileNetV2's layout, the default) or 4: the stem's block halves again, the first
        # stage keeps the size
        self.stem = nn.Sequential(ConvBN(3, width, 3, 2), InvertedResidual(width, first, 1, stem_stride // 2))
        stages = [[(w[0], 2)], [(w[1], 3)], [(scaled(64, width), 4), (w[2], 3)]]
        enc = []
        cin = first
        for s in range(3):
            blocks = []
            for cout, n in stages[s]:
                for _ in range(n):
                    first_stride = 1 if (s == 0 and stem_stride == 4) else 2
                    blocks.append(InvertedResidual(cin, cout, expansion, first_stride if not blocks else 1))
                    cin = cout
            enc.append(nn.Sequential(*blocks))
        self.encoder = nn.ModuleList(enc)
        dec, proj, heads = [None] * 3, [None] * 3, [None] * 3
        for lvl in (2, 1, 0):
            deeper = w[min(lvl + 1, len(w) - 1)]
            blocks = [InvertedResidual(deeper, w[lvl], expansion, 1)]
            for _ in range(1, decoder_blocks):
                blocks.append(InvertedResidual(w[lvl], w[lvl], expansion, 1))
            dec[lvl] = nn.Sequential(*blocks)
            proj[lvl] = plain_conv(w[lvl], level_channels[lvl], 1)
            heads[lvl] = plain_conv(level_channels[lvl], 2 * level_channels[lvl], 1)  # DecouplingHead
        self.decoder = nn.ModuleList(dec)
        self.project = nn.ModuleList(proj)
        self.decouple = nn.ModuleList(heads)

    def forward(self, x):
        x = self.stem(x)
        enc = []
        for stage in self.encoder:
            x = stage(x)
            enc.append(x)
        levels = [None] * 3
        for lvl in (2, 1, 0):
            up = resize(x, enc[lvl].shape[2], enc[lvl].shape[3])
            x = self.decoder[lvl](up)
            levels[lvl] = self.project[lvl](x)
        normal, abnormal = [], []
        for lvl in range(3):
            a, b = torch.split(self.decouple[lvl](levels[lvl]), self.level_channels[lvl], dim=1)
            normal.append(a)
            abnormal.append(b)
        return normal + abnormal  # [norm1, norm2, norm3, abn1, abn2, abn3]


# ----------------------------------------------------------------------------------------------------------------
# MultiPerceptionSegmenter
# ----------------------------------------------------------------------------------------------------------------
class MultiPerceptionSegmenter(nn.Module):
    def __init__(self, group_channels, width=64, aspp_rates=(2,), se_reduction=8, channel_pad=True,
                 residual_body=True, reduced_attention=True, concatenate=False):
        super().__init__()
        # concatenate: up-sample, weight and concatenate the groups before the 1x1 reduction, as the product did
        # before 2026-12-07 (the same function; reduce_groups avoids the concatenation)
        self.concatenate = concatenate
        total = sum(group_channels)
        self.group_weights = nn.Parameter(torch.ones(len(group_channels)))
        # segmenterAttention: reduced (the default since 2026-12-07: attention on the width channels after the 1x1
        # reduction) or input (on the concatenated input, as DMDD.md reconstructs it)
        self.reduced_attention = reduced_attention
        attended = width if reduced_attention else total
        hidden = max(1, attended // se_reduction)
        self.se_squeeze = plain_conv(attended, hidden, 1)
        self.se_excite = plain_conv(hidden, attended, 1)
        self.spatial = ChannelPaddedConv(2, 1, 7, pad=channel_pad)
        self.reduce = ConvBN(total, width, 1)
        # segmenterBody: residual (two 3x3 convolutions, the default) or conv (one)
        self.body = ResidualBlock(width, width, 1) if residual_body else ConvBN(width, width, 3)
        aspp = [ConvBN(width, width, 1)]
        for r in aspp_rates:
            aspp.append(ConvBN(width, width, 3, 1, dilation=r))
        self.aspp = nn.ModuleList(aspp)
        self.aspp_merge = ConvBN(width * len(aspp), width, 1)
        self.head = plain_conv(width, 1, 1)

    def reduce_groups(self, inputs, h, w):
        """MultiPerceptionSegmenter.reduceGroups: the 1x1 reduction of the up-sampled, weighted concatenation as
        the sum of each level's groups reduced at their own size, then up-sampled (linear maps commute); in
        inference both take the slices and bias of the folded convolution."""
        r = self.reduce
        weight, bias = (r.folded.weight, r.folded.bias) if r.folded is not None else (r.conv.weight, None)
        offsets = [0]
        for inp in inputs:
            offsets.append(offsets[-1] + inp.shape[1])
        levels = len(inputs) // 2
        total = None
        for level in range(levels):
            reduced = None
            for g in (level, level + levels):
                wg = weight[:, offsets[g]:offsets[g + 1]] * self.group_weights[g]
                part = F.conv2d(inputs[g], wg)
                if FlopTally.active is not None:
                    _tally(wg.numel(), wg.numel(), part)
                reduced = part if reduced is None else reduced + part
            reduced = resize(reduced, h, w)
            total = reduced if total is None else total + reduced
        if bias is not None:
            total = total + bias.view(1, -1, 1, 1)
        y = total if r.folded is not None else r.bn(total)
        return F.relu(y) if r.relu else y

    def forward(self, inputs):
        h, w = inputs[0].shape[2], inputs[0].shape[3]
        if self.reduced_attention and not self.concatenate:
            x = self.reduce_groups(inputs, h, w)
        else:
            groups = [resize(inp, h, w).mul(self.group_weights[g]) for g, inp in enumerate(inputs)]
            x = torch.cat(groups, 1)
            if self.reduced_attention:
                x = self.reduce(x)
        pooled = x.mean(3, keepdim=True).mean(2, keepdim=True)
        se = self.se_squeeze(pooled)
        se = self.se_excite(F.relu(se))
        x = x.mul(torch.sigmoid(se))
        desc = torch.cat([x.mean(1, keepdim=True), torch.max(x, 1, keepdim=True)[0]], 1)
        sa = self.spatial(desc)
        x = x.mul(torch.sigmoid(sa))
        if not self.reduced_attention:
            x = self.reduce(x)
        x = self.body(x)
        branches = [b(x) for b in self.aspp]
        x = self.aspp_merge(torch.cat(branches, 1))
        logits = self.head(x)
        return resize(logits, h * 4, w * 4)


# ----------------------------------------------------------------------------------------------------------------
# Discrepancy, losses (dmdd/Discrepancy, dmdd/DmddLoss)
# ----------------------------------------------------------------------------------------------------------------
def unit(x):
    return F.normalize(x, p=2.0, dim=1, eps=1e-8)


def cosine_distance(a, b):
    return unit(a).mul(unit(b)).sum(1).neg().add(1.0)


def unit_products(teacher, student):
    ut = [unit(t) for t in teacher]
    return [unit(s).mul(ut[i % len(ut)]) for i, s in enumerate(student)]


def summed_distance(products, side):
    total = None
    for prod in products:
        d = prod.sum(1).neg().add(1.0).unsqueeze(1)
        up = resize(d, side, side)
        total = up if total is None else total.add(up)
    return total.squeeze(1)


def ngm_loss(normality, teacher_clean):
    total = None
    for a, b in zip(normality, teacher_clean):
        term = cosine_distance(a, b).mean()
        total = term if total is None else total.add(term)
    return total


def aim_loss(abnormality, teacher_aug, mask):
    total = None
    for a_feat, t in zip(abnormality, teacher_aug):
        a = cosine_distance(a_feat, t)
        m = downsample_area(mask, a.shape[1], a.shape[2]).squeeze(1)
        term = a.sub(m).abs().mean()  # aimForm l1
        total = term if total is None else total.add(term)
    return total


def segmentation_loss(logits, mask, gamma=4.0, l1_weight=1.0):
    p = torch.sigmoid(logits).clamp(1e-6, 1.0 - 1e-6)
    q = p.neg().add(1.0)
    not_mask = mask.neg().add(1.0)
    positive = mask.mul(q.pow(gamma)).mul(p.log())
    negative = not_mask.mul(p.pow(gamma)).mul(q.log())
    focal = positive.add(negative).neg().mean()
    return focal.add(p.sub(mask).abs().mean().mul(l1_weight))


# ----------------------------------------------------------------------------------------------------------------
# Gaussian blur (infer/GaussianBlur): two matrix products, replicated borders
# ----------------------------------------------------------------------------------------------------------------
def blur_matrix(size, sigma):
    radius = int(math.ceil(4 * sigma))
    k = np.exp(-0.5 * np.arange(-radius, radius + 1) ** 2 / (sigma * sigma))
    k = (k / k.sum()).astype(np.float32)
    m = np.zeros((size, size), np.float32)
    for y in range(size):
        for i in range(-radius, radius + 1):
            m[y, min(size - 1, max(0, y + i))] += k[i + radius]
    return m


def gaussian_blur(maps, sigma, matrix_np):
    if sigma <= 0:
        return maps
    rows = torch.from_numpy(matrix_np.copy())  # the product creates the matrix array every call
    return rows.matmul(maps.matmul(rows.t()))


def bilinear_matrix(out, size):
    """Bilinear up-sampling from size to out samples (align_corners=False) as an out x size matrix."""
    m = np.zeros((out, size), np.float32)
    scale = np.float32(size) / np.float32(out)
    for j in range(out):
        src = max(np.float32(0), scale * np.float32(j + 0.5) - np.float32(0.5))
        i0 = min(int(src), size - 1)
        i1 = min(i0 + 1, size - 1)
        lam = min(max(float(src) - i0, 0.0), 1.0)
        m[j, i0] += 1 - lam
        m[j, i1] += lam
    return m


def assembly_matrices(side, sizes, blur_np):
    """infer/BranchMapAssembler with one view: per level, A = G U (side x h) side by side, and B^T = (G U)^T."""
    lefts = [blur_np @ bilinear_matrix(side, h) for h in sizes]
    return np.ascontiguousarray(np.concatenate(lefts, 1)), [np.ascontiguousarray(a.T) for a in lefts]


def assembled_branch_maps(products, left_np, rights_np):
    """Both terms of sum_l A_l D_l B_l^T: each level's maps times B^T, stacked along h, then one product with A."""
    right = [prod.sum(1).neg().add(1.0).matmul(torch.from_numpy(r.copy())) for prod, r in zip(products, rights_np)]
    return torch.from_numpy(left_np.copy()).matmul(torch.cat(right, 1))  # the product creates them every call


# ----------------------------------------------------------------------------------------------------------------
# Adam as ParameterOptimizer + DJL's adamUpdate
# ----------------------------------------------------------------------------------------------------------------
class DjlAdam:
    def __init__(self, module, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.params = [p for p in module.parameters() if p.requires_grad]
        self.buffers = [b for n, b in module.named_buffers() if "running" in n]
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.lr, self.b1, self.b2, self.eps, self.wd = lr, beta1, beta2, eps, weight_decay
        self.updates = 0

    def copy_running_statistics(self):
        return [b.clone() for b in self.buffers]

    def gradients_finite(self):
        total = None
        for p in self.params:
            s = p.grad.sum()
            total = s if total is None else total.add(s)
        return total is None or math.isfinite(total.item())

    @torch.no_grad()
    def step(self):
        self.updates += 1
        t = self.updates
        bc = self.lr * math.sqrt(1 - self.b2 ** t) / (1 - self.b1 ** t)
        for p, m, v in zip(self.params, self.m, self.v):
            grad = p.grad.clone()
            grad.add_(p, alpha=self.wd)
            m.mul_(self.b1).add_(grad, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(grad, grad, value=1 - self.b2)
            p.sub_(m.mul(bc).div(v.sqrt().add(self.eps)))
        self.discard_gradients()

    def discard_gradients(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()


# ----------------------------------------------------------------------------------------------------------------
# The model, inference and training steps
# ----------------------------------------------------------------------------------------------------------------
LEVELS = (24, 32, 96)


class Model:
    def __init__(self, args):
        torch.manual_seed(42)
        self.side = args.size
        self.teacher = Teacher(keras_pad_explicit=args.keras_pad).eval()
        self.student = DecoupledStudent(LEVELS, args.student_width, args.decoder_blocks, args.expansion,
                                        args.student_stem_stride)
        groups = [LEVELS[i % 3] for i in range(6)]  # segmenterInput "product"
        self.segmenter = MultiPerceptionSegmenter(groups, args.segmenter_width, tuple(args.aspp_rates), 8,
                                                  channel_pad=not args.no_channel_pad,
                                                  residual_body=args.segmenter_body == "residual",
                                                  reduced_attention=args.segmenter_attention == "reduced",
                                                  concatenate=args.concatenate_segmenter_input)
        self.sigma = 4.0
        self.fusion_weight = 0.97
        self.top_k = 100
        self.blur = blur_matrix(self.side, self.sigma)
        self.assembly = None if args.upsample_then_blur else assembly_matrices(
            self.side, [self.side // 4, self.side // 8, self.side // 16], self.blur)

    def folded(self):
        return fold_all(self.student), fold_all(self.segmenter)


def descend(opt, value, running):
    """The product's step end: a non-finite loss or gradient skips the step and restores the running statistics."""
    if not math.isfinite(value) or not opt.gradients_finite():
        opt.discard_gradients()
        with torch.no_grad():
            for b, c in zip(opt.buffers, running):
                b.copy_(c)
        return float("nan")
    opt.step()
    return value


def make_images(count, side, seed):
    g = np.random.default_rng(seed)
    # stand-ins for SampleDataset.normalSurface: smooth-ish textures in [0, 1], CHW float32 like RgbImage
    out = []
    for _ in range(count):
        base = g.random((3, side // 8, side // 8), dtype=np.float32)
        img = np.kron(base, np.ones((8, 8), np.float32)) * 0.7 + g.random((3, side, side), dtype=np.float32) * 0.3
        out.append(np.ascontiguousarray(img, dtype=np.float32))
    return out


def inspect_batch(model, student_f, segmenter_f, chunk, grad_ctx):
    """Inspector.inspectBatch for one view and one shift, then the per-image Java side (fusion, score, copies)."""
    side = model.side
    plane = side * side
    x = torch.from_numpy(np.stack(chunk))  # float[] batch -> engine array
    with grad_ctx():
        t = model.teacher(x)[:3]
        s = student_f(x)
        products = unit_products(t, s)
        if model.assembly is None:
            normality = summed_distance(products[0:3], side)
            abnormality = summed_distance(products[3:6], side)
            branches = gaussian_blur(torch.stack([normality, abnormality], 1), model.sigma, model.blur)
        else:
            left, rights = model.assembly
            branches = torch.stack([assembled_branch_maps(products[0:3], left, rights),
                                    assembled_branch_maps(products[3:6], left, rights)], 1)
        branches = branches.numpy().copy()
        seg_inputs = [p.neg() for p in products]
        logits = segmenter_f(seg_inputs)
        fused = torch.sigmoid(logits).numpy().copy()
    n = len(chunk)
    branches = branches.reshape(n * 2, plane)
    fused = fused.reshape(n, plane)
    normality_top, abnormality_top = 1.5, 1.5  # calibrated display tops (any positive values: the cost is the same)
    results = []
    for i in range(n):
        norm = branches[2 * i].copy()
        abn = branches[2 * i + 1].copy()
        seg = fused[i].copy()
        br = np.minimum(1.0, 0.5 * (norm / normality_top + abn / abnormality_top))
        fus = model.fusion_weight * seg + (1 - model.fusion_weight) * br  # MapFusion mean_with_branches
        k = min(model.top_k, fus.size)
        score = float(np.partition(fus, fus.size - k)[fus.size - k:].mean())  # FloatMaps.topKMean
        results.append((norm.copy(), abn.copy(), fus.copy(), score))  # NetworkMaps.at(): copies at the same size
    return results


class Trainer:
    def __init__(self, model, batch, cache_images, teacher_cache=True, clean_pair_cache=True, frozen_from_step=None):
        self.model = model
        self.student_steps_done = 0
        self.frozen_from_step = frozen_from_step if frozen_from_step is not None else float("inf")
        self.batch = batch
        side = model.side
        g = torch.Generator().manual_seed(7)
        # one step's batch as the prefetcher hands it over: normal images then augmented ones, and masks (the
        # synthesis itself runs on a prefetch thread in the product and is not replicated)
        self.images = torch.rand(2 * batch, 3, side, side, generator=g)
        m = torch.zeros(batch, 1, side, side)
        m[:, :, side // 4: side // 2, side // 3: side // 2] = 1.0
        # cleanPairFraction 0.5: half the pairs without an anomaly, in the last rows as the product's batches put them
        self.synthetic = batch - batch // 2
        m[self.synthetic:] = 0.0
        self.masks = m
        self.clean_pair_cache = clean_pair_cache and teacher_cache
        self.segmenter_input_cache = None
        self.teacher_cache = None
        self.cache_images = cache_images
        if teacher_cache:
            # TeacherCache.build: features of the normal training images, computed once before the first step
            with torch.no_grad():
                imgs = torch.rand(cache_images, 3, side, side, generator=g)
                parts = [model.teacher(imgs[i: i + batch])[:3] for i in range(0, cache_images, batch)]
                self.teacher_cache = [torch.cat([p[l] for p in parts], 0) for l in range(3)]
        self.rng = np.random.default_rng(11)
        self.student_opt = DjlAdam(model.student)
        self.segmenter_opt = DjlAdam(model.segmenter)
        self.frozen_student = None

    def _teacher_pair(self):
        n = self.batch
        if self.teacher_cache is not None:
            augmented = self.images[n:].clone()  # sm.create(augmentedOnly)
            index = torch.from_numpy(self.rng.integers(0, self.cache_images, n).astype(np.int64))
            t_clean = [level[index] for level in self.teacher_cache]
            if self.clean_pair_cache:
                # a clean pair's augmented image is its normal image: its features are the cached ones
                k = self.synthetic
                with torch.no_grad():
                    t_syn = self.model.teacher(augmented[:k])[:3]
                t_aug = [torch.cat([t_syn[l], t_clean[l][k:]], 0) for l in range(3)]
            else:
                with torch.no_grad():
                    t_aug = self.model.teacher(augmented)[:3]
        else:
            both = self.images.clone()
            with torch.no_grad():
                t = self.model.teacher(both)
            t_clean = [t[l][:n] for l in range(3)]
            t_aug = [t[l][n:] for l in range(3)]
            augmented = both[n:]
        return t_clean, t_aug, augmented

    def student_step(self):
        """DmddTrainer.studentStep + descend."""
        model, opt = self.model, self.student_opt
        model.student.train()
        ConvBN.frozen_statistics = self.student_steps_done >= self.frozen_from_step
        self.student_steps_done += 1
        t_clean, t_aug, augmented = self._teacher_pair()
        mask = self.masks.clone()
        running = opt.copy_running_statistics()
        s = model.student(augmented)
        ngm = ngm_loss(s[0:3], t_clean)
        aim = aim_loss(s[3:6], t_aug, mask)
        total = ngm.add(aim)
        total.backward()
        value = descend(opt, total.item(), running)
        ngm.item(), aim.item()
        return value

    def segmenter_step(self):
        """DmddTrainer.segmenterStep + descend (student frozen and folded once, as FoldedBatchNorms.of)."""
        ConvBN.frozen_statistics = False  # the segmentation network trains with batch statistics, as in the product
        model, opt = self.model, self.segmenter_opt
        if self.frozen_student is None:
            self.frozen_student = fold_all(model.student)
        model.segmenter.train()
        n = self.batch

        def segmenter_inputs(x):
            with torch.no_grad():
                t = model.teacher(x)
                s = self.frozen_student(x)
                return [p.neg() for p in unit_products(t[:3], s)]

        if self.clean_pair_cache:
            if self.segmenter_input_cache is None:
                # made once at the start of stage 2 from the normal images (here: random ones), in batch chunks
                g = torch.Generator().manual_seed(13)
                imgs = torch.rand(self.cache_images, 3, model.side, model.side, generator=g)
                parts = [segmenter_inputs(imgs[i: i + n]) for i in range(0, self.cache_images, n)]
                self.segmenter_input_cache = [torch.cat([p[j] for p in parts], 0) for j in range(len(parts[0]))]
            k = self.synthetic
            computed = segmenter_inputs(self.images[n: n + k].clone())
            index = torch.from_numpy(self.rng.integers(0, self.cache_images, n - k).astype(np.int64))
            inputs = [torch.cat([c, cached[index]], 0) for c, cached in zip(computed, self.segmenter_input_cache)]
        else:
            inputs = segmenter_inputs(self.images[n:].clone())
        mask = self.masks.clone()
        running = opt.copy_running_statistics()
        seg = segmentation_loss(model.segmenter(inputs), mask)
        seg.backward()
        value = descend(opt, seg.item(), running)
        seg.item()
        return value


# ----------------------------------------------------------------------------------------------------------------
# FLOP formulas transcribed from the product's structure (NetworkFlops / FlopCounter), independent of the modules
# ----------------------------------------------------------------------------------------------------------------
def formula_teacher(side):
    s = side // 2
    f = 2 * 32 * 3 * 9 * s * s
    cin, block = 32, 0
    for t, c, n, st in MNV2_SETTINGS:
        for r in range(n):
            if block > MNV2_LEVEL_ENDS[-1]:
                break
            stride = st if r == 0 else 1
            hidden = cin * t
            if t != 1:
                f += 2 * cin * hidden * s * s
            if stride == 2:
                s = (s + 1 - 3) // 2 + 1  # Keras "same" for stride 2 (bottom/right pad 1, valid 3x3)
            f += 2 * hidden * 9 * s * s + 2 * hidden * c * s * s
            cin = c
            block += 1
    return f


def _ir_flops(cin, cout, e, stride, s):
    hidden = cin * e
    f = 2 * cin * hidden * s * s if e > 1 else 0
    s = (s + stride - 1) // stride
    f += 2 * hidden * 9 * s * s + 2 * hidden * cout * s * s
    return f, s


def formula_student(side, width=32, decoder_blocks=2, e=6, stem_stride=2):
    first = scaled(16, width)
    w = [scaled(24, width), scaled(32, width), scaled(96, width)]
    s = side // 2
    f = 2 * width * 3 * 9 * s * s
    g, s = _ir_flops(width, first, 1, stem_stride // 2, s)
    f += g
    cin = first
    sides = []
    for stage in ([(w[0], 2)], [(w[1], 3)], [(scaled(64, width), 4), (w[2], 3)]):
        firstblock = True
        for cout, n in stage:
            for _ in range(n):
                g, s = _ir_flops(cin, cout, e, (1 if (len(sides) == 0 and stem_stride == 4) else 2) if firstblock else 1, s)
                f += g
                firstblock = False
                cin = cout
        sides.append(s)
    for lvl in (2, 1, 0):
        deeper = w[min(lvl + 1, 2)]
        s = sides[lvl]
        g, _ = _ir_flops(deeper, w[lvl], e, 1, s)
        f += g
        for _ in range(1, decoder_blocks):
            g, _ = _ir_flops(w[lvl], w[lvl], e, 1, s)
            f += g
        c = LEVELS[lvl]
        f += 2 * w[lvl] * c * s * s + 2 * c * 2 * c * s * s  # projection, decoupling head
    return f


def formula_segmenter(side, width=64, rates=(2,), residual_body=True, reduced_attention=True):
    h = side // 4
    total = 2 * sum(LEVELS)
    attended = width if reduced_attention else total
    hidden = max(1, attended // 8)
    f = 2 * attended * hidden + 2 * hidden * attended  # SE at 1 x 1
    f += 2 * 2 * 49 * h * h  # spatial attention 2 -> 1 (counted unpadded)
    if reduced_attention:
        f += sum(2 * 2 * c * width * (h >> l) * (h >> l) for l, c in enumerate(LEVELS))  # reduce_groups
    else:
        f += 2 * total * width * h * h  # reduce
    f += (2 if residual_body else 1) * 2 * width * width * 9 * h * h  # body
    f += 2 * width * width * h * h  # aspp0
    f += len(rates) * 2 * width * width * 9 * h * h
    f += 2 * width * (len(rates) + 1) * width * h * h  # merge
    f += 2 * width * h * h  # head
    return f


# product's own reported numbers (README "Speed", dmdd bench at 128 and 256 px), GFLOP per image
PRODUCT_GFLOP = {128: (0.11, 0.27, 0.26), 256: (0.43, 1.06, 1.05)}  # the segmenter reducing per level
PRODUCT_INFERENCE_GFLOP = {128: 0.64, 256: 2.54}


def count_flops(model, side):
    """Operations per image of the replicated networks, by running them once on one image with the tally on."""
    x = torch.rand(1, 3, side, side)
    student_f, segmenter_f = model.folded()
    out = {}
    with torch.no_grad():
        for name, fn in (("teacher", lambda: model.teacher(x)),):
            FlopTally.active = FlopTally()
            t = fn()
            out[name] = FlopTally.active
        FlopTally.active = FlopTally()
        s = student_f(x)
        out["student"] = FlopTally.active
        inputs = [p.neg() for p in unit_products(t[:3], s)]
        FlopTally.active = FlopTally()
        segmenter_f(inputs)
        out["segmenter"] = FlopTally.active
    FlopTally.active = None
    return out


def count_params(module, trainable_only=False):
    return sum(p.numel() for p in module.parameters() if (p.requires_grad or not trainable_only))


def count_buffers(module):
    return sum(b.numel() for n, b in module.named_buffers() if "running" in n)


# ----------------------------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------------------------
def ceiling(seconds):
    """engine/ConvolutionCeiling: 3x3 conv 64 -> 64, batch 8, 64 x 64, padding 1, one warm-up call, result copied out
    (toFloatArray) every call."""
    x = torch.randn(8, 64, 64, 64)
    w = torch.randn(64, 64, 3, 3)
    flops = 2.0 * 64 * 64 * 9 * 64 * 64 * 8
    F.conv2d(x, w, None, 1, 1, 1)
    t0 = time.perf_counter()
    calls = 0
    while True:
        y = F.conv2d(x, w, None, 1, 1, 1)
        y.numpy().copy()
        del y
        calls += 1
        if time.perf_counter() - t0 >= seconds:
            break
    return flops * calls / (time.perf_counter() - t0) / 1e9


def time_inference(model, batch, seconds, warmup, grad_ctx, images):
    student_f, segmenter_f = model.folded()  # Inspector.open: the loaded weights' folded batch norms, made once
    for _ in range(warmup):
        inspect_batch(model, student_f, segmenter_f, images[:batch], grad_ctx)
    at = 0
    done = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        chunk = [images[(at + k) % len(images)] for k in range(batch)]
        at += batch
        inspect_batch(model, student_f, segmenter_f, chunk, grad_ctx)
        done += batch
    s = time.perf_counter() - t0
    return 1000.0 * s / done, done, s


def time_training(step, warmup, steps, min_seconds):
    for _ in range(warmup):
        step()
    times = []
    t0 = time.perf_counter()
    while len(times) < steps or (time.perf_counter() - t0) < min_seconds:
        a = time.perf_counter()
        step()
        times.append(time.perf_counter() - a)
    total = time.perf_counter() - t0
    return 1000.0 * total / len(times), times


def loaded_libraries():
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({l.split()[-1] for l in f if ".so" in l})
    except OSError:
        return []
    keys = ("blas", "lapack", "dnnl", "mkl", "gomp", "iomp", "torch_cpu")
    return [l for l in libs if any(k in os.path.basename(l) for k in keys)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=256, help="network input side (multiple of 32; default 256)")
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2); inter-op threads 1")
    ap.add_argument("--seconds", type=float, default=6.0, help="seconds per inference figure (default 6); the "
                    "ceiling uses min(seconds, 3) as the product does")
    ap.add_argument("--warmup", type=int, default=1, help="warm-up calls / steps before each figure (product: 1)")
    ap.add_argument("--train-steps", type=int, default=4, help="timed training steps per stage (product bench "
                    "--train-steps, default 4)")
    ap.add_argument("--train-seconds", type=float, default=0.0, help="keep timing training steps at least this "
                    "long (default 0: exactly --train-steps, as the product)")
    ap.add_argument("--batch", type=int, default=8, help="training batch (default 8)")
    ap.add_argument("--figures", default="flops,ceiling,infer1,infer8,stage1,stage2",
                    help="comma list of: flops, ceiling, infer1, infer8, stage1, stage2, check")
    ap.add_argument("--no-teacher-cache", action="store_true", help="stage 1: run the teacher on normal and "
                    "augmented images (16 per step) instead of gathering the clean features from a cache (the "
                    "product's default cacheTeacherFeatures=true)")
    ap.add_argument("--inference-mode", action="store_true",
                    help="torch.inference_mode instead of torch.no_grad (the product turns grad mode off = no_grad)")
    ap.add_argument("--keras-pad", action="store_true", help="teacher: explicit bottom/right pad + 3x3 stride-2 "
                    "convolutions instead of the product's folded 4x4 kernels")
    ap.add_argument("--no-channel-pad", action="store_true", help="segmenter spatial attention as a plain 2 -> 1 "
                    "7x7 conv instead of the product's padding to 16 outputs")
    ap.add_argument("--student-norms-frozen-from", type=float, default=1.0,
                    help="share of the student steps (warm-up and timed) after which its batch norms run with frozen "
                         "statistics folded into their convolutions, as the product's studentNormsFrozenFrom "
                         "(default 1: never, batch statistics throughout; the product's default is 0.25)")
    ap.add_argument("--student-width", type=int, default=32)
    ap.add_argument("--decoder-blocks", type=int, default=2)
    ap.add_argument("--expansion", type=int, default=6)
    ap.add_argument("--student-stem-stride", type=int, choices=[2, 4], default=2,
                    help="studentStemStride: 2 (MobileNetV2's layout, the product's default) or 4 (the stem's block "
                         "halves again)")
    ap.add_argument("--concatenate-segmenter-input", action="store_true",
                    help="segmenter: concatenate the up-sampled groups before the 1x1 reduction (the product "
                         "before 2026-12-07) instead of reducing each level's groups at their own size")
    ap.add_argument("--no-clean-pair-cache", action="store_true",
                    help="run the teacher (stage 1) and the teacher and frozen student (stage 2) on the clean pairs "
                         "too, as the product did before 2026-12-07, instead of taking their features from caches")
    ap.add_argument("--upsample-then-blur", action="store_true",
                    help="inference: up-sample each level's one-channel map, sum, then blur the full-size maps (the "
                         "product before 2026-12-07, later) instead of the branch maps as matrix products")
    ap.add_argument("--segmenter-width", type=int, default=64)
    ap.add_argument("--aspp-rates", type=int, nargs="*", default=[2])
    ap.add_argument("--segmenter-attention", choices=["reduced", "input"], default="reduced",
                    help="the segmenter's channel and spatial attention after the 1x1 reduction (the product's "
                         "default since 2026-12-07) or on the concatenated input (segmenterAttention=input)")
    ap.add_argument("--segmenter-body", choices=["residual", "conv"], default="residual",
                    help="the segmenter's body, as the product's segmenterBody setting (default residual)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    figures = [f.strip() for f in args.figures.split(",") if f.strip()]
    grad_ctx = torch.inference_mode if args.inference_mode else torch.no_grad

    print("torch %s, %s, mkldnn available %s enabled %s, intra-op threads %d, inter-op threads %d" % (
        torch.__version__, sys.executable, torch.backends.mkldnn.is_available(), torch.backends.mkldnn.enabled,
        torch.get_num_threads(), torch.get_num_interop_threads()))
    cfg = torch.__config__.show()
    for line in cfg.splitlines():
        if any(k in line for k in ("MKL-DNN", "CPU capability", "OpenMP", "LAPACK", "MKL")) and "Build settings" not in line:
            print("  " + line.strip())
    print("  loaded: " + ", ".join(os.path.basename(l) for l in loaded_libraries()))
    model = Model(args)
    side = args.size
    print("input %d px, teacher mobilenetv2 (folded, %s), student inverted_residual width %d expansion %d decoder "
          "blocks %d, segmenter width %d body %s aspp %s attention on the %s, spatial attention %s" % (
              side, "explicit Keras pad + 3x3" if args.keras_pad else "4x4 kernels for stride-2",
              args.student_width, args.expansion, args.decoder_blocks, args.segmenter_width, args.segmenter_body,
              args.aspp_rates, "reduced features" if args.segmenter_attention == "reduced" else "input",
              "plain" if args.no_channel_pad else "channel-padded to 16 outputs"))
    student_f, segmenter_f = model.folded()
    print("parameters: teacher %d as run folded (%d conv weights as in Keras 3x3 + %d biases; the Keras layers "
          "hold %d incl. 4 BN tensors per channel), student %d trainable + %d BN running statistics (folded: %d), "
          "segmenter %d trainable + %d BN running statistics (folded: %d)" % (
              count_params(model.teacher),
              sum(m.conv.nominal_numel for m in model.teacher.modules() if isinstance(m, FoldedConvT)),
              sum(m.conv.bias.numel() for m in model.teacher.modules() if isinstance(m, FoldedConvT)),
              sum(m.conv.nominal_numel + 4 * m.conv.bias.numel() for m in model.teacher.modules()
                  if isinstance(m, FoldedConvT)),
              count_params(model.student, True), count_buffers(model.student), count_params(student_f),
              count_params(model.segmenter, True), count_buffers(model.segmenter), count_params(segmenter_f)))
    sys.stdout.flush()

    if "check" in figures and not args.keras_pad:
        with torch.no_grad():
            x = torch.rand(2, 3, 64, 64)
            m2 = copy.deepcopy(model.teacher)
            for m in m2.modules():  # same weights run as explicit pad + 3x3
                if isinstance(m, FoldedConvT) and m.conv.kernel_size == (4, 4):
                    c = m.conv
                    nc = Conv(c.in_channels, c.out_channels, 3, c.stride, 0, 1, c.groups, bias=True)
                    nc.weight.copy_(c.weight[:, :, 1:, 1:])
                    nc.bias.copy_(c.bias)
                    m.conv, m.explicit = nc, True
            a, b = model.teacher(x), m2(x)
            print("check: folded 4x4 teacher vs explicit pad + 3x3: max abs diff %.2e (range %.2e)" % (
                max((p - q).abs().max().item() for p, q in zip(a, b)), max(p.abs().max().item() for p in a)))
    if "check" in figures:
        with torch.no_grad():
            x = torch.rand(2, 3, 64, 64)
            a = model.teacher(x)
            model.student.eval()
            s1, s2 = model.student(x), student_f(x)
            print("check: folded student vs eval student: max abs diff %.2e (range %.2e)" % (
                max((p - q).abs().max().item() for p, q in zip(s1, s2)), max(p.abs().max().item() for p in s1)))
            print("check: student output shapes %s" % [tuple(t.shape) for t in s1])
            print("check: teacher output shapes %s" % [tuple(t.shape) for t in a])

    flops = {}
    for sz in sorted({128, 256, side}):
        tally = count_flops(Model(argparse.Namespace(**{**vars(args), "size": sz})), sz) if sz != side \
            else count_flops(model, sz)
        flops[sz] = tally
    f_here = flops[side]
    inference_flops = sum(f_here[k].nominal for k in ("teacher", "student", "segmenter"))
    if "flops" in figures:
        print("operations per image, GFLOP (2 x multiply-adds of convolutions, as engine/FlopCounter):")
        print("  %-9s %-5s %12s %12s %12s %12s" % ("network", "px", "this script", "executed", "formula",
                                                  "product"))
        formulas = {"teacher": formula_teacher, "student": lambda s: formula_student(
            s, args.student_width, args.decoder_blocks, args.expansion, args.student_stem_stride),
            "segmenter": lambda s: formula_segmenter(s, args.segmenter_width, tuple(args.aspp_rates),
                                                     args.segmenter_body == "residual",
                                                     args.segmenter_attention == "reduced")}
        for sz in sorted(flops):
            for i, k in enumerate(("teacher", "student", "segmenter")):
                prod = PRODUCT_GFLOP.get(sz)
                print("  %-9s %-5d %12.4f %12.4f %12.4f %12s" % (
                    k, sz, flops[sz][k].nominal / 1e9, flops[sz][k].executed / 1e9, formulas[k](sz) / 1e9,
                    "%.2f" % prod[i] if prod else "-"))
            tot = sum(flops[sz][k].nominal for k in ("teacher", "student", "segmenter"))
            print("  %-9s %-5d %12.4f %12.4f %12s %12s" % (
                "inference", sz, tot / 1e9, sum(flops[sz][k].executed for k in flops[sz]) / 1e9, "",
                "%.2f" % PRODUCT_INFERENCE_GFLOP[sz] if sz in PRODUCT_INFERENCE_GFLOP else "-"))
        print("  (executed: with the teacher's 4x4 folded kernels and the 16-output spatial attention as run; "
              "'this script' and 'formula' count them as the product's NetworkFlops does)")
        sys.stdout.flush()

    ceil = None
    if "ceiling" in figures:
        ceil = ceiling(min(args.seconds, 3.0))
        print("engine ceiling: %.1f GFLOP/s (3x3 convolution, 64 channels, batch 8, 64 x 64)" % ceil)
        sys.stdout.flush()

    images = make_images(16, side, 1000)
    for b in (1, 8):
        if "infer%d" % b not in figures:
            continue
        ms, done, s = time_inference(model, b, args.seconds, args.warmup, grad_ctx, images)
        gfs = inference_flops * done / s / 1e9
        print("inference batch %d: %.2f images/s, %.1f ms/image (%d images in %.1f s), %.1f GFLOP/s%s" % (
            b, done / s, ms, done, s, gfs, "" if ceil is None else " (%.0f %% of the ceiling)" % (100 * gfs / ceil)))
        sys.stdout.flush()

    if "stage1" in figures or "stage2" in figures:
        frozen_from = None
        if args.student_norms_frozen_from < 1:
            # as DmddSettings.studentNormsFrozenAt over the product bench's stage of warm-up + timed steps
            frozen_from = math.ceil(args.student_norms_frozen_from * (args.warmup + args.train_steps))
        trainer = Trainer(model, args.batch, 16, teacher_cache=not args.no_teacher_cache,
                          clean_pair_cache=not args.no_clean_pair_cache, frozen_from_step=frozen_from)
        # as the product's NetworkFlops: the frozen networks' work on clean pairs (half of them) comes from caches
        cached = 0.0 if (args.no_clean_pair_cache or args.no_teacher_cache) else 0.5
        per_image = {
            "stage1": f_here["teacher"].nominal * (2 if args.no_teacher_cache else 1 - cached)
                      + 3 * f_here["student"].nominal,
            "stage2": (f_here["teacher"].nominal + f_here["student"].nominal) * (1 - cached)
                      + 3 * f_here["segmenter"].nominal,
        }
        for stage, name, fn in (("stage1", "student", trainer.student_step),
                                ("stage2", "segmenter", trainer.segmenter_step)):
            if stage not in figures:
                continue
            ms, times = time_training(fn, args.warmup, args.train_steps, args.train_seconds)
            gfs = per_image[stage] * args.batch / (ms / 1000.0) / 1e9
            print("training stage %s (%s): %.3f steps/s, %.0f ms/step, %.2f images/s, %.1f GFLOP/s%s "
                  "[%d steps: min %.0f median %.0f max %.0f ms]" % (
                      stage[-1], name, 1000.0 / ms, ms, args.batch * 1000.0 / ms, gfs,
                      "" if ceil is None else " (%.0f %% of the ceiling)" % (100 * gfs / ceil), len(times),
                      1000 * min(times), 1000 * statistics.median(times), 1000 * max(times)))
            if stage == "stage1" and frozen_from is not None and args.warmup < frozen_from < args.warmup + len(times):
                cut = frozen_from - args.warmup  # times[i] is the student step warmup + i
                print("  of which %d steps with batch statistics, %.0f ms/step, and %d with the batch norms' statistics "
                      "frozen, %.0f ms/step" % (cut, 1000 * statistics.mean(times[:cut]), len(times) - cut,
                                                1000 * statistics.mean(times[cut:])))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
