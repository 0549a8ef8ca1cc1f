package org.reid.training.run;

import java.io.PrintStream;
import java.util.Map;
import org.reid.core.loss.MvpMarginCheck;
import org.reid.core.loss.MvpMatching;
import org.reid.core.loss.MvpMatchingLoss;

/**
 * Puts MVP's margin check into a training run: each step's share of matched edges inside the
 * margins goes into the step's log record (to see whether the margins fit the features), and the
 * check's one-line warning goes to the console and the log.
 */
final class MvpMarginWarning {
    private final MvpMatchingLoss loss;
    private final MvpMarginCheck check = new MvpMarginCheck();

    MvpMarginWarning(MvpMatchingLoss loss) {
        this.loss = loss;
    }

    void observe(Map<String, Object> stepRecord, PrintStream console, JsonLines log) {
        loss.lastMatching().ifPresent(m -> {
            stepRecord.put("mvpPositiveActive", m.positiveActiveFraction());
            stepRecord.put("mvpNegativeActive", m.negativeActiveFraction());
            stepRecord.put("mvpPositiveLoss", m.positiveLoss());
            stepRecord.put("mvpNegativeLoss", m.negativeLoss());
        });
        check.observe(loss).ifPresent(warning -> {
            // On a line of its own: the progress bar may be mid-line.
            console.println();
            console.println(warning);
            log.write(Map.of("event", "warning", "message", warning));
        });
    }
}
