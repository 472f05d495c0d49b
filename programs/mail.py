"""Emails whose subject a mail program reads back exactly as written.

Django encodes a non-ASCII subject without knowing the header's name, so a long Japanese
subject is folded before its first word: the header reads `Subject: ` and the encoded
words start on the next line, and a standard parser
(`email.message_from_bytes(raw, policy=email.policy.default)["Subject"]`) returns it with a
leading space. Here the subject is encoded as the `Subject` header, so its first line
starts right after the name."""

from email.header import Header

from django.core.mail import EmailMessage, EmailMultiAlternatives


class _SubjectKept:
    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        subject = str(self.subject)
        if not subject.isascii():
            msg.replace_header("Subject", Header(subject, "utf-8", header_name="Subject"))
        return msg


class KenshuEmail(_SubjectKept, EmailMultiAlternatives):
    """EmailMultiAlternatives with its subject kept (above)."""


class _KenshuPlainEmail(_SubjectKept, EmailMessage):
    pass


def subject_kept(message: EmailMessage) -> EmailMessage:
    """`message` (one allauth made, say) turned into the subject-keeping kind."""
    if isinstance(message, _SubjectKept):
        return message
    kind = KenshuEmail if isinstance(message, EmailMultiAlternatives) else _KenshuPlainEmail
    message.__class__ = kind
    return message
