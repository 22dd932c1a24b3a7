package dmdd.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dmdd.model.engine.DjlRuntime;
import java.util.Locale;

/**
 * args: [SIDE [N [ORIENTATIONS SHIFTS]]] (default 256 1 1 1). Both branch maps of a batch from random level maps
 * (strides 4, 8 and 16), made the way inference made them until 2026-12-07 (each one-channel level map up-sampled
 * by libtorch, summed, the views averaged, blurred by two side x side matrix products) and by {@link
 * BranchMapAssembler}, in alternating blocks of 50 calls, so that a noisy machine slows both alike. Prints the
 * milliseconds per call of each and the largest difference between their maps. Lives in the package it measures; the evidence behind
 * README's "branch maps as matrix products" entry in "Speed".
 */
public class BranchMapTiming {
    public static void main(String[] a) {
        int side = a.length > 0 ? Integer.parseInt(a[0]) : 256;
        int n = a.length > 1 ? Integer.parseInt(a[1]) : 1;
        int orientations = a.length > 3 ? Integer.parseInt(a[2]) : 1;
        int shifts = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        double sigma = 4;
        DjlRuntime.engine();
        InspectionViews views = new InspectionViews(orientations, shifts);
        BranchMapAssembler assembler = new BranchMapAssembler(views, side, sigma);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList[] branches = new NDList[2];
            for (int b = 0; b < 2; b++) {
                branches[b] = new NDList();
                for (int stride : new int[] {4, 8, 16}) {
                    branches[b].add(manager.randomUniform(0, 2, new Shape((long) views.count() * n, side / stride,
                            side / stride)));
                }
            }
            float[] g = GaussianBlur.alongRows(identity(side), side, sigma);
            NDArray rows = manager.create(g, new Shape(side, side));
            NDArray columnsTransposed = rows.transpose();
            double[] ms = new double[2];
            int[] calls = new int[2];
            for (int block = 0; block < 40; block++) {
                int which = block % 2;
                long t0 = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    try (NDManager call = manager.newSubManager()) {
                        NDList[] local = {attach(branches[0], call), attach(branches[1], call)};
                        NDArray maps = which == 0 ? before(local, views, side, rows, columnsTransposed)
                                : NDArrays.stack(new NDList(assembler.assemble(local[0]),
                                        assembler.assemble(local[1])), 1);
                        maps.toFloatArray();
                        returnTo(branches, manager);
                    }
                }
                if (block >= 4) { // the first blocks warm up
                    ms[which] += (System.nanoTime() - t0) / 1e6;
                    calls[which] += 50;
                }
            }
            float largest = 0;
            try (NDManager call = manager.newSubManager()) {
                NDList[] local = {attach(branches[0], call), attach(branches[1], call)};
                float[] old = before(local, views, side, rows, columnsTransposed).toFloatArray();
                float[] now = NDArrays.stack(new NDList(assembler.assemble(local[0]), assembler.assemble(local[1])), 1)
                        .toFloatArray();
                for (int i = 0; i < old.length; i++) {
                    largest = Math.max(largest, Math.abs(old[i] - now[i]));
                }
                returnTo(branches, manager);
            }
            System.out.printf(Locale.ROOT, "side %d, batch %d, %d orientations x %d shifts: before %.3f ms per call, "
                    + "matrix products %.3f ms per call (largest difference %.2g)%n", side, n, orientations,
                    shifts, ms[0] / calls[0], ms[1] / calls[1], largest);
        }
    }

    private static NDArray before(NDList[] branches, InspectionViews views, int side, NDArray rows,
            NDArray columnsTransposed) {
        NDList averaged = new NDList();
        for (NDList levels : branches) {
            NDArray sum = null;
            for (NDArray level : levels) {
                NDArray up = level.expandDims(1).getNDArrayInternal()
                        .interpolation(new long[] {side, side}, 1, false);
                sum = sum == null ? up : sum.add(up);
            }
            averaged.add(views.average(sum.squeeze(1)));
        }
        NDArray maps = NDArrays.stack(averaged, 1);
        return rows.matMul(maps.matMul(columnsTransposed));
    }

    private static NDList attach(NDList arrays, NDManager call) {
        for (NDArray x : arrays) {
            x.attach(call);
        }
        return arrays;
    }

    private static void returnTo(NDList[] branches, NDManager manager) {
        for (NDList arrays : branches) {
            for (NDArray x : arrays) {
                x.attach(manager);
            }
        }
    }

    private static float[] identity(int side) {
        float[] m = new float[side * side];
        for (int i = 0; i < side; i++) {
            m[i * side + i] = 1;
        }
        return m;
    }
}
