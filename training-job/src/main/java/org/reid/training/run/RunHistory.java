package org.reid.training.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reid.core.engine.TrainingListener;
import org.reid.core.eval.ReidMetrics;

/**
 * The numbers the plots are drawn from (loss per step, validation metrics and triplet scatter per
 * evaluation), saved in {@code history.json} after each epoch so a resumed run plots its whole
 * history.
 */
public final class RunHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One validation. */
    public record Validation(int epoch, double rank1, double rank5, double rank10, double mAP, double mINP,
            double[] sAp, double[] sAn) {}

    private List<double[]> steps = new ArrayList<>(); // {globalStep, loss, metricLoss, idLoss, skipped}
    private List<Validation> validations = new ArrayList<>();
    private Map<String, Double> untrained = Map.of();

    public static RunHistory load(Path runDir) throws IOException {
        Path file = runDir.resolve("history.json");
        RunHistory h = new RunHistory();
        if (Files.exists(file)) {
            Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
            h.steps = new ArrayList<>(JSON.convertValue(m.get("steps"),
                    JSON.getTypeFactory().constructCollectionType(List.class, double[].class)));
            h.validations = new ArrayList<>(JSON.convertValue(m.get("validations"),
                    JSON.getTypeFactory().constructCollectionType(List.class, Validation.class)));
            h.untrained = JSON.convertValue(m.get("untrained"),
                    JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Double.class));
        }
        return h;
    }

    public synchronized void addStep(TrainingListener.StepResult s) {
        steps.add(new double[] {s.globalStep(), s.loss(), s.metricLoss(), s.idLoss(), s.skipped() ? 1 : 0});
    }

    public synchronized void addValidation(int epoch, ReidMetrics m, ValidationTripletScatter scatter) {
        validations.add(new Validation(epoch, m.rank(1), m.rank(5), m.rank(10), m.mAP(), m.mINP(), scatter.sAp(),
                scatter.sAn()));
    }

    public synchronized void save(Path runDir) throws IOException {
        Path tmp = runDir.resolve("history.json.tmp");
        JSON.writeValue(tmp.toFile(), Map.of("steps", steps, "validations", validations, "untrained", untrained));
        Files.move(tmp, runDir.resolve("history.json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Test-split metrics of the network before its first step. */
    public synchronized void setUntrained(ReidMetrics m) {
        untrained = new LinkedHashMap<>(Map.of("rank1", m.rank(1), "mAP", m.mAP(), "mINP", m.mINP()));
    }

    public Map<String, Double> untrained() {
        return untrained;
    }

    public List<double[]> steps() {
        return steps;
    }

    public List<Validation> validations() {
        return validations;
    }

    /** Validation metrics without the scatter points, for metrics.json. */
    public List<Map<String, Object>> validationRecords() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Validation v : validations) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", v.epoch());
            r.put("rank1", v.rank1());
            r.put("rank5", v.rank5());
            r.put("rank10", v.rank10());
            r.put("mAP", v.mAP());
            r.put("mINP", v.mINP());
            out.add(r);
        }
        return out;
    }
}
