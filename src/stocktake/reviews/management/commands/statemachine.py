from django.core.management.base import BaseCommand

from stocktake.reviews.workflow import mermaid_diagram


class Command(BaseCommand):
    help = "Print the review workflow's transitions table as a Mermaid diagram (for ARCHITECTURE.md)."

    def handle(self, *args, **options):
        self.stdout.write(mermaid_diagram())
