/**
 * The transformer on the device (internal to cna-gpu): the weights' upload ({@link io.cna4j.gpu.pass.GpuWeights}),
 * the forward pass ({@link io.cna4j.gpu.pass.GpuForwardPass}) and interventions as device work
 * ({@link io.cna4j.gpu.pass.DeviceInterventions}).
 */
@NullMarked
package io.cna4j.gpu.pass;

import org.jspecify.annotations.NullMarked;
