package org.reid.core.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The straightforward per-parameter Adam / AdamW loop: the yardstick for {@link FusedAdam}. Two
 * ways to do the arithmetic: {@link Arithmetic#TORCH_OPS} writes torch's single-tensor Adam with
 * plain NDArray operations; {@link Arithmetic#DJL_KERNEL} calls DJL's fused kernel per parameter
 * with the scalars FusedAdam uses, so that, when the flat buffer works, both train bit for bit
 * (or to the last float rounding) alike.
 */
final class ReferenceAdam {
    enum Arithmetic { TORCH_OPS, DJL_KERNEL }

    private final Arithmetic arithmetic;
    private final List<Parameter> parameters;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final WeightDecayMode mode;
    private final Map<String, Float> multipliers;
    private final Predicate<Parameter> noDecay;
    private int t;

    ReferenceAdam(Arithmetic arithmetic, List<Parameter> parameters, float beta1, float beta2, float eps, float weightDecay,
            WeightDecayMode mode, Map<String, Float> multipliers, Predicate<Parameter> noDecay) {
        this.arithmetic = arithmetic;
        this.parameters = parameters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.mode = mode;
        this.multipliers = multipliers;
        this.noDecay = noDecay;
        for (Parameter p : parameters) {
            means.add(p.getArray().zerosLike());
            variances.add(p.getArray().zerosLike());
        }
    }

    void step(float learningRate) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            NDArray w = p.getArray().stopGradient(); // alias: in-place updates outside autograd
            NDArray grad = p.getArray().getGradient();
            double lr = (double) learningRate * multipliers.getOrDefault(p.getId(), 1f);
            double wd = noDecay.test(p) ? 0 : weightDecay;
            if (arithmetic == Arithmetic.DJL_KERNEL) {
                NDArray weight = p.getArray();
                weight.getNDArrayInternal().adamUpdate(
                        new NDList(weight, grad, means.get(i), variances.get(i)), new NDList(weight),
                        (float) lr, (float) (lr * bc2Sqrt / bc1), (float) wd, 1f, -1f, (float) beta1, (float) beta2,
                        (float) (eps * bc2Sqrt), false, mode == WeightDecayMode.DECOUPLED); // zeroes the gradient
                continue;
            }
            NDArray g = grad.duplicate();
            if (wd != 0 && mode == WeightDecayMode.L2) {
                g.addi(w.mul(wd));
            }
            if (wd != 0 && mode == WeightDecayMode.DECOUPLED) {
                w.muli(1 - lr * wd);
            }
            NDArray m = means.get(i);
            NDArray v = variances.get(i);
            m.muli(beta1).addi(g.mul(1 - beta1));
            v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            NDArray denom = v.sqrt().divi(bc2Sqrt).addi(eps);
            w.subi(m.div(denom).muli(lr / bc1));
            grad.subi(grad); // zero, as Trainer.step() does
        }
    }
}
