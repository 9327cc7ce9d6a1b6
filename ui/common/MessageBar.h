#pragma once

#include <QFrame>
#include <QString>

class QLabel;
class QToolButton;

namespace flywheel::ui {

/// The one place a page (or a tab) says how an operator's action went: a green line for
/// an outcome, a red one for a refusal or a failure, with a button to dismiss it. Hidden
/// while there is nothing to say. Every page uses this one widget.
class MessageBar final : public QFrame {
    Q_OBJECT

public:
    explicit MessageBar(QWidget *parent = nullptr);

    /// Shows `text` (an error in red, an outcome in green); an empty text hides the bar.
    void showMessage(const QString &text, bool error);
    void clearMessage();
    /// The latest message, also after it was dismissed; empty after clearMessage().
    QString text() const;
    bool isError() const { return m_error; }

private:
    QLabel *m_label;
    QToolButton *m_close;
    bool m_error = false;
};

} // namespace flywheel::ui
