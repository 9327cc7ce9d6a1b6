#include "segments/ExpressionHighlighter.h"

#include <QColor>

namespace flywheel::ui {

namespace {

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isIdentChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

bool isOperatorChar(QChar c)
{
    return QStringLiteral("&|!=<>+-*/%()[],").contains(c);
}

/// The UTF-16 index of the `column`th character (from 1) of `text`: columns count code points.
qsizetype indexOfColumn(const QString &text, int column)
{
    qsizetype index = 0;
    for (int c = 1; c < column && index < text.size(); ++c)
        index += (text.at(index).isHighSurrogate() && index + 1 < text.size()) ? 2 : 1;
    return index;
}

} // namespace

ExpressionHighlighter::ExpressionHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    m_number.setForeground(QColor(0x09, 0x69, 0xda));
    m_string.setForeground(QColor(0x0a, 0x7e, 0x3b));
    m_operator.setForeground(QColor(0xcf, 0x22, 0x2e));
    m_operator.setFontWeight(QFont::Bold);
    m_keyword = m_operator;
    m_feature.setForeground(QColor(0x82, 0x50, 0xdf));
    m_feature.setFontWeight(QFont::DemiBold);
    m_tag.setForeground(QColor(0xbc, 0x4c, 0x00));
    m_tag.setFontItalic(true);
}

void ExpressionHighlighter::setFeatures(const QSet<QString> &features)
{
    if (features == m_features)
        return;
    m_features = features;
    rehighlight();
}

void ExpressionHighlighter::setError(int line, int column)
{
    if (line == m_errorLine && column == m_errorColumn)
        return;
    m_errorLine = line;
    m_errorColumn = column;
    rehighlight();
}

void ExpressionHighlighter::clearError()
{
    setError(0, 0);
}

void ExpressionHighlighter::highlightBlock(const QString &text)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text.at(i);
        const qsizetype start = i;
        if (c.isDigit() || (c == u'.' && i + 1 < n && text.at(i + 1).isDigit())) {
            while (i < n && (text.at(i).isDigit() || text.at(i) == u'.'))
                ++i;
            if (i < n && (text.at(i) == u'e' || text.at(i) == u'E')) {
                ++i;
                if (i < n && (text.at(i) == u'+' || text.at(i) == u'-'))
                    ++i;
                while (i < n && text.at(i).isDigit())
                    ++i;
            }
            setFormat(int(start), int(i - start), m_number);
        } else if (c == u'"') {
            ++i;
            while (i < n && text.at(i) != u'"') {
                i += text.at(i) == u'\\' ? 2 : 1;
            }
            i = std::min(n, i + 1);
            setFormat(int(start), int(i - start), m_string);
        } else if (isIdentStart(c)) {
            while (i < n && isIdentChar(text.at(i)))
                ++i;
            const QString word = text.mid(start, i - start);
            if (word == QLatin1String("tag") && i < n && text.at(i) == u'.') {
                ++i;
                while (i < n && isIdentChar(text.at(i)))
                    ++i;
                setFormat(int(start), int(i - start), m_tag);
            } else if (word == QLatin1String("and") || word == QLatin1String("or") || word == QLatin1String("not") ||
                       word == QLatin1String("in") || word == QLatin1String("AND") || word == QLatin1String("OR") ||
                       word == QLatin1String("true") || word == QLatin1String("false")) {
                setFormat(int(start), int(i - start), m_keyword);
            } else if (m_features.contains(word)) {
                setFormat(int(start), int(i - start), m_feature);
            }
        } else if (isOperatorChar(c)) {
            while (i < n && isOperatorChar(text.at(i)) && text.at(i) != u'(' && text.at(i) != u')' &&
                   text.at(i) != u'[' && text.at(i) != u']' && text.at(i) != u',')
                ++i;
            if (i == start)
                ++i; // a bracket or comma on its own
            setFormat(int(start), int(i - start), m_operator);
        } else {
            ++i;
        }
    }

    if (m_errorLine != currentBlock().blockNumber() + 1 || n == 0)
        return;
    // The whole token the error points at; at the end of the line, its last character.
    qsizetype from = indexOfColumn(text, m_errorColumn);
    qsizetype to = from + 1;
    if (from >= n) {
        from = n - 1;
        to = n;
    } else if (isIdentChar(text.at(from))) {
        while (to < n && (isIdentChar(text.at(to)) || text.at(to) == u'.'))
            ++to;
    } else if (text.at(from).isLowSurrogate() || text.at(from).isHighSurrogate()) {
        to = std::min(n, from + 2);
    }
    for (qsizetype k = from; k < to; ++k) {
        QTextCharFormat f = format(int(k));
        f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        f.setUnderlineColor(QColor(0xcf, 0x22, 0x2e));
        setFormat(int(k), 1, f);
    }
}

} // namespace flywheel::ui
