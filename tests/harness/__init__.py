"""Helpers the harness's own tests share."""

from backprop_dojo.grading.sandbox import SandboxedLearner


def noting_requests(learner: SandboxedLearner, note=lambda request: request["operation"]) -> list:
    """What `note` says of each request the sandboxed learner sends its process from now on,
    in a list that grows as they are sent."""
    noted = []

    def request(sent, *rest, **named):
        noted.append(note(sent))
        return SandboxedLearner._request(learner, sent, *rest, **named)

    learner._request = request
    return noted
