"""Denoising explorer: a noise-level slider in front of a trained autoencoder.

Each move adds fresh Gaussian noise of the chosen strength to the same clean
digits and runs the already-trained model on them (``predict`` on the model's
twin: no retraining, and the model's stored ``a`` and ``z`` stay as they were),
so the three rows show clean, noisy and reconstructed digits side by side,
with the error of each row against the clean digits.
"""
import ipywidgets as widgets
import numpy as np

from .. import backend
from ..teaching import augment
from .base.view import Explorer


def denoise_state(model, images, stddev, seed=0):
    """Noisy copies of ``images`` and the model's reconstructions of them.

    Parameters
    ----------
    model : Sequential
        Trained to map flattened images with pixels in [0, 1] to the clean
        images (input and output shape ``(H*W,)``).
    images : array, shape (n, H, W)
        Clean digits, pixels in [0, 1].
    stddev : float
        Standard deviation of the added noise (pixels clipped back to [0, 1]).
    seed : int
        Seed of the noise (the engine's generator is put back afterwards), so
        a setting always shows the same noisy digits and the notebook's own
        random sequence is untouched.

    Returns
    -------
    dict
        'noisy', 'reconstructed': arrays (n, H, W); 'noisy_error',
        'reconstructed_error': mean squared difference from the clean images.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 3:
        raise ValueError(f"denoise_state: images must have shape (n, H, W), got {images.shape}")
    with backend.seeded(seed):
        noisy = augment.gaussian_noise(images, stddev)
    flat = noisy.reshape(len(noisy), -1)
    reconstructed = model.twin().predict(flat).reshape(images.shape)
    return {"noisy": noisy, "reconstructed": reconstructed,
            "noisy_error": float(np.mean((noisy - images) ** 2)),
            "reconstructed_error": float(np.mean((reconstructed - images) ** 2))}


class DenoisingExplorer(Explorer):
    """Drag the noise level; watch a trained autoencoder clean the digits.

    Parameters
    ----------
    model : Sequential
        A trained (denoising) autoencoder on flattened images.
    images : array, shape (n, H, W)
        Clean digits to show (pixels in [0, 1]); 6-8 fit the figure well.
    stddev : float, default 0.3
        Starting noise level.
    """

    title = "Denoising explorer"

    def __init__(self, model, images, stddev=0.3):
        images = np.asarray(images, dtype=np.float32)
        n = len(images)
        super().__init__(figsize=(min(1.2 * n, 10), 4.0))
        self.model, self.images = model, images
        self.follow_weights(model)  # trained further between two looks: reconstructed again
        self.slider = widgets.FloatSlider(value=stddev, min=0.0, max=1.0, step=0.05,
                                          description="noise std", readout_format=".2f",
                                          continuous_update=False)
        axes = self.figure.subplots(3, n, squeeze=False)
        self.pictures = {}
        for row, key in enumerate(("clean", "noisy", "reconstructed")):
            for col in range(n):
                ax = axes[row, col]
                ax.set_xticks([]), ax.set_yticks([])
                self.pictures[key, col] = ax.imshow(images[col], cmap="gray_r", vmin=0, vmax=1)
            axes[row, 0].set_ylabel(key, fontsize=9)
        self.errors = self.figure.suptitle("", fontsize=10)
        self.animate(*(self.pictures[key, col] for key in ("noisy", "reconstructed")
                       for col in range(n)), self.errors)
        self.add_controls(stddev=self.slider)
        self.update()

    def compute(self, stddev):
        """Noisy digits and reconstructions at this noise level."""
        return denoise_state(self.model, self.images, stddev)

    def draw(self, s):
        """Rows 2 and 3: the noisy digits and their reconstructions."""
        for col in range(len(self.images)):
            self.pictures["noisy", col].set_data(s["noisy"][col])
            self.pictures["reconstructed", col].set_data(np.clip(s["reconstructed"][col], 0, 1))
        self.errors.set_text(self._summary(s))

    def _summary(self, s):
        return (f"noise std {self.slider.value:.2f}: mean squared error vs clean "
                f"{s['noisy_error']:.4f} (noisy) -> {s['reconstructed_error']:.4f} (reconstructed)")

    def describe(self):
        return "DenoisingExplorer: " + self._summary(self.state)
