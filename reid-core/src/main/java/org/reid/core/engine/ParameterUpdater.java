package org.reid.core.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Applies one optimisation step to the model's parameters from their accumulated gradients, then
 * clears the gradients. The training loop owns forward and backward; this owns the update.
 */
public interface ParameterUpdater {

    /** One update at {@code learningRate}; gradients are zero afterwards. */
    void step(float learningRate);

    /** Optimiser state (moments, step count) for {@code --resume}. */
    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;
}
