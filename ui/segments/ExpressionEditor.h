#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QPlainTextEdit>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QCompleter;
class QLabel;
class QStandardItemModel;
class QTableWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class ExpressionHighlighter;
class SegmentClient;

/// The text field of an expression: completes feature names and `tag.` + known tag names
/// on typing (or Ctrl+Space), hands Enter and Tab to the completion popup when it is open.
class ExpressionTextEdit final : public QPlainTextEdit {
    Q_OBJECT

public:
    explicit ExpressionTextEdit(QWidget *parent = nullptr);
    void setCompleter(QCompleter *completer);
    /// The word being typed: letters, digits, '_' and '.' before the cursor.
    QString prefixUnderCursor() const;

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;

private:
    void insertCompletion(const QString &completion);

    QCompleter *m_completer = nullptr;
};

/// An expression with everything an operator needs while typing it: colours, completion,
/// and a live preview — ~250 ms after the last key, PreviewSegment says how many users
/// match now (with a sample), or where and why the expression is wrong, which is then
/// underlined. Answers to older text are ignored; nothing waits on the backend.
class ExpressionEditor final : public QWidget {
    Q_OBJECT

public:
    enum class State { Empty, Checking, Valid, Invalid, Failed };

    /// `withSample`: show the sample of matching users under the count.
    ExpressionEditor(SegmentClient *client, bool withSample, QWidget *parent = nullptr);
    ~ExpressionEditor() override;

    static constexpr int kDebounceMs = 250;
    static constexpr int kSampleSize = 20;

    /// Feature names, descriptions and tags for colours and completion.
    void setFeatures(const v1::ListFeaturesResponse &features);
    /// What the status line says while the expression is empty (nothing is asked then).
    void setEmptyText(const QString &text);
    void setPlaceholderText(const QString &text);

    QString text() const;
    /// Replaces the text without emitting edited(); keeps the cursor when the text is the same.
    void setText(const QString &text);
    ExpressionTextEdit *textEdit() const { return m_edit; }
    QCompleter *completer() const { return m_completer; }
    /// The completion candidates, e.g. "pay_count", "tag.sports".
    QStringList completions() const;

    State state() const { return m_state; }
    /// "3,412 of 12,000 users match (0.4 ms)", "Line 1, column 5: …", …
    QString statusText() const;
    qint64 matching() const { return m_matching; }
    qint64 total() const { return m_total; }
    /// The backend's error position and message while Invalid.
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }
    QString errorMessage() const { return m_errorMessage; }
    /// Where the red wavy underline is, read back from the text's layout: line and
    /// column from 1, length in characters; all 0 without one.
    struct Span {
        int line = 0;
        int column = 0;
        int length = 0;
    };
    Span underlined() const;
    QTableWidget *sampleTable() const { return m_sample; }

Q_SIGNALS:
    /// The operator changed the text.
    void edited(const QString &text);
    /// After each answer to the current text (or when it became empty).
    void previewed();

private:
    void onTextChanged();
    void preview();
    void onPreview(const grpc::Status &status, const v1::PreviewSegmentResponse &response);
    void setStatus(State state, const QString &text);

    SegmentClient *m_client;
    ExpressionTextEdit *m_edit;
    ExpressionHighlighter *m_highlighter;
    QCompleter *m_completer;
    QStandardItemModel *m_completions;
    QLabel *m_status;
    QTableWidget *m_sample;
    const bool m_withSample;
    QTimer m_debounce;
    QString m_lastText;
    QString m_emptyText;
    bool m_settingText = false;
    /// Counts text changes; an answer carries the number it was asked with.
    quint64 m_sequence = 0;
    State m_state = State::Empty;
    qint64 m_matching = 0;
    qint64 m_total = 0;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    QString m_errorMessage;
};

} // namespace flywheel::ui
