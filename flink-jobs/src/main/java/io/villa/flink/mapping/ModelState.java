package io.villa.flink.mapping;

import java.io.Serializable;

/**
 * Everything that defines a mapping model besides its configuration and vocabulary: the trained parameters
 * ({@link MappingModel#parameters()}) and the optimizer's state ({@link CheckpointableAdam#saveState}), so a
 * restored model trains on exactly as the original would have.
 *
 * @param parameters the network's parameters, DJL's block format
 * @param optimizer  Adam's moments and update counts per parameter
 */
public record ModelState(byte[] parameters, byte[] optimizer) implements Serializable {

    public ModelState {
        if (parameters == null || parameters.length == 0) {
            throw new IllegalArgumentException("model state: parameters must not be empty, got "
                    + (parameters == null ? "null" : "0 bytes"));
        }
        if (optimizer == null || optimizer.length == 0) {
            throw new IllegalArgumentException("model state: optimizer must not be empty, got "
                    + (optimizer == null ? "null" : "0 bytes"));
        }
    }
}
