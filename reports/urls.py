from django.urls import path

from . import views

urlpatterns = [
    path("interviews/<int:pk>/article/", views.article_preview, name="article_preview"),
    path("interviews/<int:pk>/article.md", views.article_markdown, name="article_markdown"),
    path("interviews/<int:pk>/article.html", views.article_html, name="article_html"),
]
