"""Reference answers for notebook 02 (backpropagation) and typical wrong ones, for the tests.

The coding exercises' references are functions; each WRONG entry is a mistake students make.
"""

import numpy as np


def linear_backward(x, weight, grad_output):
    """y = x @ weight.T + bias, weight of shape (n_out, n_in): the three gradients."""
    grad_x = grad_output @ weight            # (batch, n_out) @ (n_out, n_in)
    grad_weight = grad_output.T @ x          # (n_out, batch) @ (batch, n_in): summed over the batch
    grad_bias = grad_output.sum(axis=0)      # the bias is shared by every example
    return grad_x, grad_weight, grad_bias


def mse_gradient(y_pred, y_true):
    """L = mean((y_pred - y_true)**2) over every entry."""
    return 2.0 * (y_pred - y_true) / y_pred.size


def _forgot_bias_gradient(x, weight, grad_output):
    return grad_output @ weight, grad_output.T @ x, np.zeros(weight.shape[0])


def _bias_gradient_not_summed(x, weight, grad_output):
    return grad_output @ weight, grad_output.T @ x, grad_output


def _bias_gradient_averaged(x, weight, grad_output):
    return grad_output @ weight, grad_output.T @ x, grad_output.mean(axis=0)


def _transposed_weight_gradient(x, weight, grad_output):
    return grad_output @ weight, x.T @ grad_output, grad_output.sum(axis=0)


def _input_gradient_with_transposed_weight(x, weight, grad_output):
    return grad_output @ weight.T, grad_output.T @ x, grad_output.sum(axis=0)


def _crashes_on_shapes(x, weight, grad_output):
    return x @ grad_output, grad_output.T @ x, grad_output.sum(axis=0)


def _forgot_return(x, weight, grad_output):
    grad_x = grad_output @ weight  # noqa: F841 - the mistake is the missing return


REFERENCE = {
    "check_linear_backward": linear_backward,
    "check_mse_gradient": mse_gradient,
    "check_backward_multiply_adds": 2 * 32 * 784 * 300,   # two products of 32·784·300 each: 15 052 800 (1.505e7 passes too)
}

WRONG = {
    "check_linear_backward": [_forgot_bias_gradient, _bias_gradient_not_summed, _bias_gradient_averaged,
                              _transposed_weight_gradient, _input_gradient_with_transposed_weight,
                              _crashes_on_shapes, _forgot_return],
    "check_mse_gradient": [
        lambda y_pred, y_true: (y_pred - y_true) / y_pred.size,               # forgot the 2
        lambda y_pred, y_true: 2.0 * (y_true - y_pred) / y_pred.size,         # wrong sign
        lambda y_pred, y_true: 2.0 * (y_pred - y_true) / len(y_pred),         # divided by the batch only
        lambda y_pred, y_true: 2.0 * (y_pred - y_true),                       # no mean
        lambda y_pred, y_true: np.mean(2.0 * (y_pred - y_true)),              # a scalar, not a gradient
    ],
    # the forward pass only (one product); three products; the weight gradient without the batch
    "check_backward_multiply_adds": [32 * 784 * 300, 3 * 32 * 784 * 300, 2 * 784 * 300, 784 * 300 + 32 * 300],
}
