#pragma once

#include <QSet>
#include <QString>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace flywheel::ui {

/// Colours a segment expression as the backend reads it: numbers, strings, operators
/// and keywords, known feature names and `tag.NAME`, each differently; and underlines
/// where the backend found an error with a red wavy line.
class ExpressionHighlighter final : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit ExpressionHighlighter(QTextDocument *document);

    /// Names coloured as features (without the "tag.NAME" entry).
    void setFeatures(const QSet<QString> &features);
    /// Underlines the token at (line, column), both from 1, in characters; clearError() removes it.
    void setError(int line, int column);
    void clearError();

protected:
    void highlightBlock(const QString &text) override;

private:
    QSet<QString> m_features;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    QTextCharFormat m_number;
    QTextCharFormat m_string;
    QTextCharFormat m_operator;
    QTextCharFormat m_keyword;
    QTextCharFormat m_feature;
    QTextCharFormat m_tag;
};

} // namespace flywheel::ui
