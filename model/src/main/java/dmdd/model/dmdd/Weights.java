package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copying named arrays in and out of networks and optimizers (for checkpoints and model folders). */
public final class Weights {
    private Weights() {
    }

    /**
     * Overwrites {@code target}'s values with {@code source}'s, in place (the target keeps its
     * identity, manager and gradient flag, so blocks and optimizers holding it see the new values).
     *
     * @param target array to overwrite
     * @param source values, same shape
     * @throws IllegalArgumentException naming both shapes when they differ
     */
    public static void copyInto(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape())) {
            throw new IllegalArgumentException("shape mismatch for '" + target.getName() + "': expected "
                    + target.getShape() + ", found " + source.getShape());
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // in-place writes into leaf tensors are only legal without autograd
        try {
            NDArray converted = source.toType(target.getDataType(), false);
            try {
                // a true copy: multiplying by zero and adding would leave NaN or infinity (a diverged step, memory
                // never written) where the source has a number
                converted.copyTo(target);
            } finally {
                if (converted != source) {
                    converted.close();
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * @param list arrays with names
     * @return the arrays by name
     */
    public static Map<String, NDArray> byName(NDList list) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (NDArray a : list) {
            map.put(a.getName(), a);
        }
        return map;
    }
}
