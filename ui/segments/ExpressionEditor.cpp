#include "segments/ExpressionEditor.h"

#include "client/BackendConnection.h"
#include "client/SegmentClient.h"
#include "segments/ExpressionHighlighter.h"

#include <grpcpp/support/status.h>

#include <QAbstractItemView>
#include <QCompleter>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextLayout>
#include <QVBoxLayout>

#include <map>

namespace flywheel::ui {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'.';
}

QFont codeFont()
{
    QFont font(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace);
    return font;
}

/// Column from 1, in characters (code points), of UTF-16 index `index` of `text`.
int columnOfIndex(const QString &text, int index)
{
    int column = 1;
    for (int i = 0; i < index && i < text.size(); ++i) {
        if (!text.at(i).isLowSurrogate())
            ++column;
    }
    return column;
}

} // namespace

ExpressionTextEdit::ExpressionTextEdit(QWidget *parent) : QPlainTextEdit(parent)
{
    setFont(codeFont());
    setTabChangesFocus(true);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
}

void ExpressionTextEdit::setCompleter(QCompleter *completer)
{
    m_completer = completer;
    m_completer->setWidget(this);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &ExpressionTextEdit::insertCompletion);
}

QString ExpressionTextEdit::prefixUnderCursor() const
{
    const QTextCursor cursor = textCursor();
    const QString line = cursor.block().text();
    int end = cursor.positionInBlock();
    int start = end;
    while (start > 0 && isWordChar(line.at(start - 1)))
        --start;
    return line.mid(start, end - start);
}

void ExpressionTextEdit::insertCompletion(const QString &completion)
{
    if (m_completer->widget() != this)
        return;
    QTextCursor cursor = textCursor();
    const int prefix = int(prefixUnderCursor().size());
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, prefix);
    cursor.insertText(completion);
    setTextCursor(cursor);
}

void ExpressionTextEdit::focusInEvent(QFocusEvent *event)
{
    if (m_completer != nullptr)
        m_completer->setWidget(this);
    QPlainTextEdit::focusInEvent(event);
}

void ExpressionTextEdit::keyPressEvent(QKeyEvent *event)
{
    if (m_completer != nullptr && m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer takes it
            return;
        default:
            break;
        }
    }
    const bool shortcut = (event->modifiers() & Qt::ControlModifier) && event->key() == Qt::Key_Space;
    if (!shortcut)
        QPlainTextEdit::keyPressEvent(event);
    if (m_completer == nullptr)
        return;
    const bool modifierOnly = event->text().isEmpty() && !shortcut;
    const QString prefix = prefixUnderCursor();
    if (modifierOnly || (!shortcut && prefix.size() < 2)) {
        m_completer->popup()->hide();
        return;
    }
    if (prefix != m_completer->completionPrefix()) {
        m_completer->setCompletionPrefix(prefix);
        m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    }
    const int count = m_completer->completionCount();
    if (count == 0 || (count == 1 && m_completer->currentCompletion() == prefix)) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = cursorRect();
    rect.setWidth(m_completer->popup()->sizeHintForColumn(0) +
                  m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
}

ExpressionEditor::ExpressionEditor(SegmentClient *client, bool withSample, QWidget *parent)
    : QWidget(parent), m_client(client), m_edit(new ExpressionTextEdit(this)),
      m_highlighter(new ExpressionHighlighter(m_edit->document())), m_completer(new QCompleter(this)),
      m_completions(new QStandardItemModel(this)), m_status(new QLabel(this)), m_sample(new QTableWidget(this)),
      m_withSample(withSample)
{
    m_completer->setModel(m_completions);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setModelSorting(QCompleter::UnsortedModel);
    m_edit->setCompleter(m_completer);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sample->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sample->verticalHeader()->hide();
    m_sample->verticalHeader()->setDefaultSectionSize(m_sample->fontMetrics().height() + 8);
    m_sample->horizontalHeader()->setStretchLastSection(true);
    m_sample->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_sample->setAlternatingRowColors(true);
    m_sample->hide(); // until there is a sample

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    layout->addWidget(m_status);
    layout->addWidget(m_sample, 1);
    layout->addStretch(0); // takes the space while there is no sample

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &ExpressionEditor::preview);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &ExpressionEditor::onTextChanged);
    setStatus(State::Empty, QString());
}

ExpressionEditor::~ExpressionEditor() = default;

void ExpressionEditor::setFeatures(const v1::ListFeaturesResponse &features)
{
    QSet<QString> names;
    m_completions->clear();
    const auto add = [this](const QString &text, const QString &tip) {
        auto *item = new QStandardItem(text);
        item->setToolTip(tip);
        m_completions->appendRow(item);
    };
    QString tagDescription;
    for (const v1::Feature &feature : features.features()) {
        const QString name = QString::fromStdString(feature.name());
        if (name.startsWith(QLatin1String("tag."))) {
            tagDescription = QString::fromStdString(feature.description());
            continue;
        }
        names.insert(name);
        add(name, QString::fromStdString(feature.description()));
    }
    for (const std::string &tag : features.tags())
        add(QStringLiteral("tag.") + QString::fromStdString(tag), tagDescription);
    m_highlighter->setFeatures(names);
}

QStringList ExpressionEditor::completions() const
{
    QStringList list;
    for (int row = 0; row < m_completions->rowCount(); ++row)
        list.append(m_completions->item(row)->text());
    return list;
}

void ExpressionEditor::setEmptyText(const QString &text)
{
    m_emptyText = text;
    if (m_state == State::Empty)
        setStatus(State::Empty, m_emptyText);
}

void ExpressionEditor::setPlaceholderText(const QString &text)
{
    m_edit->setPlaceholderText(text);
}

QString ExpressionEditor::text() const
{
    return m_edit->toPlainText();
}

void ExpressionEditor::setText(const QString &text)
{
    if (text == m_edit->toPlainText())
        return;
    m_settingText = true;
    m_edit->setPlainText(text);
    m_settingText = false;
}

void ExpressionEditor::onTextChanged()
{
    const QString text = m_edit->toPlainText();
    if (text == m_lastText)
        return; // only the formats changed
    m_lastText = text;
    ++m_sequence;
    if (text.trimmed().isEmpty()) {
        m_debounce.stop();
        m_highlighter->clearError();
        m_sample->setRowCount(0);
        m_sample->hide();
        setStatus(State::Empty, m_emptyText);
        Q_EMIT previewed();
    } else {
        // The previous answer stays, greyed, until the new one comes: no flicker while typing.
        setStatus(State::Checking, m_status->text());
        m_debounce.start();
    }
    if (!m_settingText)
        Q_EMIT edited(text);
}

void ExpressionEditor::preview()
{
    const quint64 sequence = m_sequence;
    QPointer<ExpressionEditor> self(this);
    m_client->previewSegment(m_edit->toPlainText(), m_withSample ? kSampleSize : 1,
                             [self, sequence](const grpc::Status &status, const v1::PreviewSegmentResponse &response) {
                                 if (self == nullptr || sequence != self->m_sequence)
                                     return; // an answer to older text
                                 self->onPreview(status, response);
                             });
}

void ExpressionEditor::onPreview(const grpc::Status &status, const v1::PreviewSegmentResponse &response)
{
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
        v1::ExpressionError error;
        if (!status.error_details().empty() && error.ParseFromString(status.error_details())) {
            m_errorLine = error.line();
            m_errorColumn = error.column();
            m_errorMessage = QString::fromStdString(error.message());
            m_highlighter->setError(m_errorLine, m_errorColumn);
            setStatus(State::Invalid,
                      tr("Line %1, column %2: %3").arg(m_errorLine).arg(m_errorColumn).arg(m_errorMessage));
        } else {
            m_errorLine = m_errorColumn = 0;
            m_errorMessage = QString::fromStdString(status.error_message());
            m_highlighter->clearError();
            setStatus(State::Invalid, tr("The backend refused the expression: %1").arg(m_errorMessage));
        }
        m_sample->setRowCount(0);
        m_sample->hide();
        Q_EMIT previewed();
        return;
    }
    m_errorLine = m_errorColumn = 0;
    m_errorMessage.clear();
    m_highlighter->clearError();
    if (!status.ok()) {
        setStatus(State::Failed, tr("Cannot count the matching users now. %1").arg(BackendConnection::explain(status)));
        Q_EMIT previewed();
        return;
    }
    m_matching = response.matching();
    m_total = response.total();
    const QLocale locale;
    setStatus(State::Valid, tr("%1 of %2 users match (%3 ms)")
                                .arg(locale.toString(m_matching), locale.toString(m_total),
                                     locale.toString(response.elapsed_ms(), 'f', response.elapsed_ms() < 10 ? 2 : 0)));

    QStringList columns = {tr("User")};
    for (const std::string &feature : response.features())
        columns.append(QString::fromStdString(feature));
    m_sample->clear();
    m_sample->setColumnCount(int(columns.size()));
    m_sample->setHorizontalHeaderLabels(columns);
    m_sample->setRowCount(response.sample_size());
    for (int row = 0; row < response.sample_size(); ++row) {
        const v1::ProfileSample &sample = response.sample(row);
        m_sample->setItem(row, 0, new QTableWidgetItem(QString::number(sample.uid())));
        std::map<std::string, std::string> values;
        for (const v1::FeatureValue &value : sample.values())
            values[value.name()] = value.value();
        for (int column = 0; column < response.features_size(); ++column) {
            auto *item = new QTableWidgetItem(QString::fromStdString(values[response.features(column)]));
            item->setFont(codeFont());
            m_sample->setItem(row, column + 1, item);
        }
    }
    m_sample->setVisible(m_withSample && response.sample_size() > 0);
    Q_EMIT previewed();
}

void ExpressionEditor::setStatus(State state, const QString &text)
{
    m_state = state;
    QString style;
    switch (state) {
    case State::Empty:
    case State::Checking:
        style = QStringLiteral("color: #6e7781;");
        break;
    case State::Valid:
        style = QStringLiteral("color: #1a7f37;");
        break;
    case State::Invalid:
    case State::Failed:
        style = QStringLiteral("color: #cf222e; font-weight: bold;");
        break;
    }
    m_status->setStyleSheet(style);
    m_status->setText(state == State::Checking && text.isEmpty() ? tr("Counting the matching users…") : text);
}

QString ExpressionEditor::statusText() const
{
    return m_status->text();
}

ExpressionEditor::Span ExpressionEditor::underlined() const
{
    for (QTextBlock block = m_edit->document()->begin(); block.isValid(); block = block.next()) {
        const QTextLayout *layout = block.layout();
        if (layout == nullptr)
            continue;
        Span span;
        int from = -1;
        int to = -1;
        for (const QTextLayout::FormatRange &range : layout->formats()) {
            if (range.format.underlineStyle() != QTextCharFormat::WaveUnderline)
                continue;
            from = from < 0 ? range.start : std::min(from, range.start);
            to = std::max(to, range.start + range.length);
        }
        if (from >= 0) {
            span.line = block.blockNumber() + 1;
            span.column = columnOfIndex(block.text(), from);
            span.length = columnOfIndex(block.text(), to) - span.column;
            return span;
        }
    }
    return {};
}

} // namespace flywheel::ui
