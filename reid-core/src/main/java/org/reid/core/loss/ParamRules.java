package org.reid.core.loss;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.AvgNonZeroReducer;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;
import org.reid.core.loss.reducer.SumReducer;

/** Parameter rules shared by several losses, so every loss reads and checks them the same way. */
final class ParamRules {
    static final String DISTANCE = "distance";
    static final String NORMALIZE = "normalize";
    static final String EUCLIDEAN = "euclidean";
    static final String SQUARED_EUCLIDEAN = "squared-euclidean";

    private ParamRules() {}

    /** A number that must be strictly positive (scales, sensitivities). */
    static double positive(LossParams p, String key, double defaultValue) {
        double v = p.getDouble(key, defaultValue);
        return requirePositive(p.loss(), key, v);
    }

    static double requirePositive(String loss, String key, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(
                    "loss '" + loss + "': parameter '" + key + "' must be a finite number > 0, got " + v);
        }
        return v;
    }

    static double requireNonNegative(String loss, String key, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(
                    "loss '" + loss + "': parameter '" + key + "' must be a finite number >= 0, got " + v);
        }
        return v;
    }

    /** A required integer of at least 1 (no default exists, e.g. the number of classes). */
    static int requiredCount(LossParams p, String key, String meaning) {
        int v = p.getInt(key, 0, 0);
        if (v < 1) {
            throw new IllegalArgumentException("loss '" + p.loss() + "': parameter '" + key
                    + "' (" + meaning + ") is required and must be >= 1, got " + v);
        }
        return v;
    }

    /** {@code distance=euclidean|squared-euclidean} with {@code normalize=true|false}. */
    static LpDistance euclidean(LossParams p, boolean normalizeDefault) {
        String d = p.getString(DISTANCE, EUCLIDEAN, Set.of(EUCLIDEAN, SQUARED_EUCLIDEAN));
        boolean normalize = p.getBoolean(NORMALIZE, normalizeDefault);
        return new LpDistance(normalize, SQUARED_EUCLIDEAN.equals(d) ? 2 : 1);
    }

    /** {@code reducer=avg-non-zero|mean|sum}, for the losses that let it be swapped. */
    static Reducer reducer(LossParams p, Reducer defaultReducer) {
        Map<String, Reducer> known = new TreeMap<>();
        for (Reducer r : new Reducer[] {new AvgNonZeroReducer(), new MeanReducer(), new SumReducer()}) {
            known.put(r.name(), r);
        }
        return known.get(p.getString(TripletMarginLoss.REDUCER, defaultReducer.name(), known.keySet()));
    }
}
