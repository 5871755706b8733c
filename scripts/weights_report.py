"""The last step of the pretrain_*.py scripts: held-out accuracy, the weights file, its checksum.

Imported by the scripts in this folder (``python scripts/pretrain_*.py`` puts
the folder on ``sys.path``).
"""
import hashlib


def evaluate_and_save(model, x_test, y_test, out, what):
    """Print ``model``'s loss and accuracy on ``(x_test, y_test)`` (named ``what``),
    write its weights to ``out`` and print the file's SHA-256 (to record in
    ``mlcore/teaching/pretrained.py`` and data/README.md)."""
    loss, accuracy = model.evaluate(x_test, y_test)
    print(f"{what}: {len(x_test)} images, loss {loss:.4f}, accuracy {accuracy:.4f}")
    model.save_weights(out)
    print(f"wrote {out.name}  sha256 {hashlib.sha256(out.read_bytes()).hexdigest()}")
