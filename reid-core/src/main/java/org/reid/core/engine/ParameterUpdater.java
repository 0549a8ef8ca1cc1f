package org.reid.core.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Applies one optimisation step to the model's parameters from their accumulated gradients, then
 * clears the gradients. The training loop owns forward and backward; this owns the update.
 */
public interface ParameterUpdater extends AutoCloseable {

    /** One update at {@code learningRate}; gradients are zero afterwards. */
    void step(float learningRate);

    /** Optimiser state (moments, step count) for {@code --resume}. */
    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;

    /** The flat buffer the parameters were bound to (views of it); free it once they are replaced. */
    org.reid.core.engine.optim.FlatParameters buffer();

    /** Frees the optimiser's state (the parameter buffer stays: the model's parameters live in it). */
    @Override
    void close();
}
