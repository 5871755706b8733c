"""A question of several parts, checked one at a time or all together."""
from .feedback import CORRECT, INCORRECT, UNANSWERED, Feedback
from .question_base import Question


class Multipart(Question):
    """Several parts ``a``, ``b``, ...: check one part (``q2.a.check(x)``) or all (``q2.check(x, y)``)."""

    kind = "multipart"

    def __init__(self, title, prompt, parts, **kwargs):
        super().__init__(title, prompt, **kwargs)
        self.parts = dict(parts)
        for part in self.parts.values():                 # a part's help is the question's help
            part.hints = part.hints or self.hints
            if not part.solution_text:
                part.solution_text, part.solution_code = self.solution_text, self.solution_code

    def attempted(self):
        return self.attempts > 0 or any(part.attempted() for part in self.parts.values())

    def __getattr__(self, name):
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        raise AttributeError(f"{self.key} has parts {sorted(parts)}, not {name!r}")

    def assess(self, *answers):
        if len(answers) != len(self.parts):
            return Feedback(INCORRECT, f"give {len(self.parts)} answers, one per part "
                                       f"({', '.join(self.parts)}), got {len(answers)}.")
        results = [(name, part.assess(a)) for (name, part), a in zip(self.parts.items(), answers)]
        if all(r.outcome == UNANSWERED for _, r in results):
            return Feedback(UNANSWERED, "replace the blanks with your answers, then run the cell again.")
        if all(r.passed for _, r in results):
            return Feedback(CORRECT, f"all {len(results)} parts are right.")
        lines = [f"({name}) {r.label}: {r.message}" for name, r in results]
        return Feedback(INCORRECT, "\n".join(lines), label="Not all parts are right", block=True)

    def check(self, *answers):
        feedback = self.assess(*answers) if answers else Feedback(
            UNANSWERED, "give one answer per part, e.g. check(a, b).")
        self.record_check(feedback)

    def how_to_answer(self):
        names = ", ".join(self.parts)
        return (f"Answer all parts with {self.key}.check({names}) or one at a time with "
                f"{self.key}.{next(iter(self.parts))}.check(...). "
                f"Help: {self.key}.hint(), {self.key}.solution().")
